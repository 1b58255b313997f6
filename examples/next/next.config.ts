import { fileURLToPath } from 'node:url'
import type { NextConfig } from 'next'

const root = fileURLToPath(new URL('../..', import.meta.url))

const config: NextConfig = {
  // The monorepo's root: where pnpm keeps the packages this app resolves.
  outputFileTracingRoot: root,
  turbopack: { root },
}

export default config
