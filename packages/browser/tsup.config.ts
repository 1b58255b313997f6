import { defineConfig } from 'tsup'

// Three entries (the client, the React hook, the msw helpers). The parts the client imports on first
// use (writing, fetch, watching for changes) become chunks of their own; core stays external.
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
