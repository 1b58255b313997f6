import { defineConfig } from 'tsup'

// Three entries; splitting keeps the client's working parts (client-runtime) a chunk of their own that
// the client loads on first use, and lets the entries share code instead of copying it.
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
