import { defineConfig } from 'tsup'

// Three entries; splitting keeps what a page that only reads never needs (writing with js-cookie, fetch,
// change watching) in chunks the client imports on first use, and lets the entries share code.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'react/index': 'src/react/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
  splitting: true,
  external: [/^@tessera\//, 'js-cookie', 'react', 'msw'],
})
