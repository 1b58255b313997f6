import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'

/** Where the tests build the SPA: beside the screenshots, git-ignored, never the served dist/. */
const SPA_DIR = fileURLToPath(new URL('../test-results/spa/', import.meta.url))

declare module 'vitest' {
  export interface ProvidedContext {
    /** The SPA built once for the whole run (as the playground's build script builds it). */
    spaDir: string
  }
}

/** Builds the SPA once per run with the playground's own Vite config. */
export default async function setup(project: TestProject): Promise<void> {
  // Vitest sets NODE_ENV=test, which would give React's development build: build what ships.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      root: fileURLToPath(new URL('..', import.meta.url)),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: SPA_DIR, emptyOutDir: true, sourcemap: false },
    })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
  project.provide('spaDir', SPA_DIR)
}
