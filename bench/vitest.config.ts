import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  ssr: { resolve: { conditions: ['@tessera/source'] } },
  test: { environment: 'node', include: ['test/**/*.test.ts'] },
})
