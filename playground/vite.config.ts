import react from '@vitejs/plugin-react'
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite'

// One config, three builds:
// - `vite build`: the SPA for the Node server (dist/), with the offline mode one `?offline` away;
// - `vite build --mode offline`: the SPA alone for a static host (dist-offline/, relative paths);
// - `vite build --ssr server/main.ts`: the server, bundled into dist-server/main.js for plain `node`.
// Workspace packages resolve to their TypeScript sources (the `@tessera/source` condition), so
// nothing needs a build of the packages first.
export default defineConfig(({ mode, isSsrBuild }) => ({
  plugins: [react()],
  base: mode === 'offline' ? './' : '/',
  // `pnpm dev`: the page with hot reload, its API from a playground server started beside it.
  server: { proxy: { '/api': process.env.PLAYGROUND_API ?? 'http://127.0.0.1:4173' } },
  resolve: { conditions: ['@tessera/source', ...defaultClientConditions] },
  ssr: {
    target: 'node',
    // Bundle everything into the server file, except the database clients, loaded when chosen.
    noExternal: true,
    external: ['ioredis', 'pg'],
    resolve: { conditions: ['@tessera/source', ...defaultServerConditions] },
  },
  build: isSsrBuild
    ? { outDir: 'dist-server', target: 'node20', emptyOutDir: true, copyPublicDir: false, sourcemap: true }
    : {
        outDir: mode === 'offline' ? 'dist-offline' : 'dist',
        target: 'es2022',
        emptyOutDir: true,
        sourcemap: true,
        // The offline mode's chunk (msw, the engine, the handlers) is about 450 kB before gzip; it
        // loads only with ?offline.
        chunkSizeWarningLimit: 500,
      },
}))
