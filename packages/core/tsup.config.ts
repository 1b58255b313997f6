import { defineConfig } from 'tsup'
import { preserveModules, sourceModules } from '../../scripts/preserve-modules.mjs'

// One output module per source module (see ../../scripts/preserve-modules.mjs): an app's bundler then
// tree-shakes and splits core as it would its sources. The declarations are bundled from the index.
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
  external: ['superjson', 'tweetnacl'],
})
