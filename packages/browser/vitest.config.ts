import { defineConfig } from 'vitest/config'

// Two suites: `unit` runs in happy-dom (document.cookie, Web Storage, BroadcastChannel) with msw's
// node interceptor, and type-checks the `*.test-d.ts` files; `e2e` runs in Node and drives a real
// Chromium against a real HTTP server on 127.0.0.1.
export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  ssr: { resolve: { conditions: ['@tessera/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['test/unit/**/*.test.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
