// Mutation testing of node's crypto (`pnpm mutation` at the root runs it after core's). Not part of CI
// or `npm test`. Equivalent survivors are listed in ../core/test/mutation/EQUIVALENT.md.

/** The files mutated. */
export const mutate = ['src/crypto/node-crypto.ts']

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps the runner out of Stryker's own folder, where Stryker looks for plugins by default.
  plugins: [import.meta.resolve('@stryker-mutator/vitest-runner')],
  // The tests of the crypto itself, not the adapter and storage suites that only use it.
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate,
  // In place, not in a sandbox copy of this package: the vectors test reads ../../core/test/vectors.json,
  // which a sandbox would not have. Stryker puts the file back when the run ends or is interrupted.
  inPlace: true,
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Reuses the last run's results where code and tests are unchanged. A static mutant (module-level
  // code: constants, regexes) keeps its old result when only tests changed: `--force` for exact figures.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  timeoutMS: 10_000,
}
