import { defineConfig } from 'vitest/config'

// What Stryker runs for each mutant of node's crypto (stryker.config.mjs): the tests of the crypto
// itself. Every adapter and storage test uses it too, but checks sessions, not bytes, at seconds a file.
export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  ssr: { resolve: { conditions: ['@tessera/source'] } },
  test: {
    environment: 'node',
    include: ['test/vectors.test.ts', 'test/node-base64url.test.ts', 'test/node-crypto.test.ts'],
  },
})
