import { defineConfig } from 'vitest/config'
import type { TestSpecification } from 'vitest/node'
import { BaseSequencer } from 'vitest/node'

/**
 * The tests of the mutated code first, the rest next, the property and hardening suites (seconds each)
 * last: Stryker stops a run at the first failing test, so most mutants die in the quick unit tests and
 * only the survivors pay for the fuzzing.
 */
class QuickFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = ({ moduleId }: TestSpecification) =>
      /\/test\/(hardening|property)\//.test(moduleId)
        ? 2
        : /\/test\/(wire|crypto|transport|engine|vectors)/.test(moduleId)
          ? 0
          : 1
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId))
  }
}

// What Stryker runs for each mutant (stryker.config.mjs): the node project of vitest.config.ts alone.
// The edge project runs the same tests on the same WebCrypto: measured on web-crypto.ts,
// ed25519-verifier.ts and token-opener.ts (154 mutants), adding it killed no mutant more (148 either
// way) and made every full test run 1.6 times longer (69 s to 111 s), which each survivor pays.
// The type tests (`*.test-d.ts`) run no source code.
export default defineConfig({
  resolve: { conditions: ['@tessera/source'] },
  test: {
    name: 'node',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    sequence: { sequencer: QuickFirst },
    // Instrumented code on a busy machine runs several times slower; a mutant is judged by what the
    // tests assert, and Stryker's own timeout catches a mutant that loops.
    testTimeout: 60_000,
  },
})
