import { defineConfig } from 'tsup'
import { preserveModules, sourceModules } from '../../scripts/preserve-modules.mjs'

// One output module per source module (see ../../scripts/preserve-modules.mjs): an app's bundler then
// tree-shakes and splits core as it would its sources. tweetnacl is bundled into its one importer,
// ./src/crypto/nacl.ts, so that an app meets it as an ES module loaded on first need, and no
// CommonJS interop helpers reach its first chunk. The declarations are bundled from the index.
export default defineConfig({
  entry: sourceModules(import.meta.dirname),
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  bundle: true,
  splitting: false,
  esbuildPlugins: [preserveModules],
  esbuildOptions(options) {
    // The neutral platform resolves no package entry by default; tweetnacl's is its `main`.
    options.mainFields = ['main']
    // tweetnacl asks for Node's `require` only to seed its own random generator, which core never
    // uses (nonces and keys come from the runtime's crypto): without it, the module mentions no
    // `require` that an app's bundler would answer with interop helpers of its own.
    options.define = { ...options.define, require: 'undefined' }
  },
  external: ['superjson'],
  noExternal: ['tweetnacl'],
})
