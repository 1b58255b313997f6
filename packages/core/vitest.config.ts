import { defineConfig } from 'vitest/config'

// The core suite runs twice: under Node, and under the edge runtime (WebCrypto, no Node globals),
// so code that leans on a Node-only global fails here before it fails in a browser.
export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  test: {
    projects: [
      { extends: true, test: { name: 'node', environment: 'node' } },
      { extends: true, test: { name: 'edge', environment: 'edge-runtime', exclude: ['test/**/*.node.test.ts', 'node_modules/**'] } },
    ],
  },
})
