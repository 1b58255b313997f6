import { defineConfig } from 'tsup'

// Two entries: the public API and the internal one that @tessera/browser and @tessera/node share.
// Code both use lands in shared chunks; an app's bundler tree-shakes them as ES modules. superjson
// and tweetnacl stay dependencies, loaded with import() where they are needed.
export default defineConfig({
  entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  external: ['superjson', 'tweetnacl'],
})
