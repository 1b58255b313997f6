// Mutation testing of core's security-critical code (`pnpm mutation` at the root runs it, with node's).
// Not part of CI or `npm test`: on two cores it takes tens of minutes. The survivors that are
// equivalent (no test can tell them apart) are listed with their reasons in test/mutation/EQUIVALENT.md.

/**
 * The files mutated: the wire format, the crypto, the encodings, the cookie, the session rules, the
 * codec's limits on untrusted text and the engine's token handling and stored entries.
 */
export const mutate = [
  'src/wire/**/*.ts',
  'src/crypto/**/*.ts',
  'src/encoding.ts',
  'src/cookie.ts',
  'src/session-rules.ts',
  'src/codec.ts',
  'src/engine/request-sessions.ts',
  'src/engine/token-transport.ts',
  'src/engine/server-store.ts',
]

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps the runner out of Stryker's own folder, where Stryker looks for plugins by default.
  plugins: [import.meta.resolve('@stryker-mutator/vitest-runner')],
  // The node project alone, without type tests (see that file for why).
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate,
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
  cleanTempDir: 'always',
}
