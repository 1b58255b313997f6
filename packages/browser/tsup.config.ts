import { defineConfig } from 'tsup'
import { preserveModules, sourceModules } from '../../scripts/preserve-modules.mjs'

// One output module per source module (see ../../scripts/preserve-modules.mjs): an app's bundler
// splits the client as the sources do, so what a page that only reads never needs (writing with
// js-cookie, fetch, change watching) stays in the modules the client imports on first use.
export default defineConfig({
  entry: sourceModules(import.meta.dirname),
  format: ['esm'],
  dts: {
    entry: {
      index: 'src/index.ts',
      'react/index': 'src/react/index.ts',
      'testing/index': 'src/testing/index.ts',
    },
  },
  clean: true,
  target: 'es2022',
  platform: 'browser',
  bundle: true,
  splitting: false,
  esbuildPlugins: [preserveModules],
  external: [/^@tessera\//, 'js-cookie', 'react', 'msw'],
})
