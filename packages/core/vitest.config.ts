import { configDefaults, defineConfig } from 'vitest/config'

// The core suite runs twice: under Node, and under the edge runtime (WebCrypto, no Node globals),
// so code that leans on a Node-only global fails here before it fails in a browser. The node project
// also type-checks the type tests (`test/**/*.test-d.ts`).
export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  test: {
    // A mutation run (`pnpm mutation`) keeps copies of the tests in .stryker-tmp while it runs.
    exclude: [...configDefaults.exclude, '.stryker-tmp/**'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        extends: true,
        test: {
          name: 'edge',
          environment: 'edge-runtime',
          // The 30,000-mutation tamper property runs once, under node: the edge runtime here uses the
          // same WebCrypto, so a second run would only double the time.
          exclude: [
            'test/**/*.node.test.ts',
            'test/property/token-mutation.test.ts',
            'node_modules/**',
            '.stryker-tmp/**',
          ],
        },
      },
    ],
  },
})
