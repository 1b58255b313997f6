import { defineConfig } from 'vitest/config'

// Unit tests of the API and the server parts in Node; end-to-end tests drive a real Chromium against
// the real server (started by the tests on 127.0.0.1, port 0) and the built SPA.
export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  ssr: { resolve: { conditions: ['@tessera/source'] } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
