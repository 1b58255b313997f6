// node --test scripts/: the progress report of `npm test` on recorded turbo output.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestProgress, parseVitestCounts } from './test-progress.mjs'

/** Feeds lines to a progress report whose clock moves one second per line; returns what it wrote. */
function replay(lines, exitCode) {
  let clock = 0
  let written = ''
  const progress = createTestProgress({ write: (text) => (written += text), now: () => clock })
  for (const line of lines) {
    clock += 1000
    progress.line(line)
  }
  return { passed: progress.end(exitCode), written }
}

test('vitest summary lines are counted, several runs summed', () => {
  assert.deepEqual(
    parseVitestCounts(
      ' Test Files  1 failed | 11 passed (12)\n      Tests  2 failed | 230 passed | 3 skipped | 1 todo (236)\n' +
        ' Test Files  2 passed (2)\n      Tests  5 passed (5)\n',
    ),
    { passed: 235, failed: 2, skipped: 3, todo: 1, failedFiles: 1, runs: 2 },
  )
  assert.equal(parseVitestCounts('No test files found, exiting with code 1'), null)
})

test('each package starts, ends with its counts, and a failing one shows its output', () => {
  const { passed, written } = replay(
    [
      '   • turbo 2.11.11',
      '@tessera/core:test: cache hit, replaying logs 1234',
      '@tessera/core:test: \x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m812 passed\x1b[39m\x1b[22m | 4 skipped (816)',
      '@tessera/node:test: cache miss, executing 5678',
      '@tessera/node:test:  FAIL  test/redis.test.ts > reads',
      '@tessera/node:test:       Tests  1 failed | 300 passed (301)',
      '@tessera/node#test:  ERROR  command (/repo/packages/node) pnpm run test exited (1)',
      '@tessera/bench:test: cache miss, executing 9abc',
      '@tessera/bench:test:       Tests  9 passed (9)',
      ' Tasks:    2 successful, 3 total',
      'Failed:    @tessera/node#test',
    ],
    1,
  )
  assert.equal(passed, false)
  const lines = written.split('\n')
  assert.deepEqual(
    lines.filter((line) => /^(start|ok|FAILED) /.test(line)),
    [
      'start  @tessera/core',
      'ok     @tessera/core (2.0 s, cached): 812 run, 0 failed, 4 skipped',
      'start  @tessera/node',
      'FAILED @tessera/node (4.0 s): 301 run, 1 failed, 0 skipped',
      'start  @tessera/bench',
      'ok     @tessera/bench (3.0 s): 9 run, 0 failed, 0 skipped',
    ],
  )
  assert.match(
    written,
    /---- output of @tessera\/node ----\ncache miss.*\n FAIL {2}test\/redis\.test\.ts > reads\n/,
  )
  assert.doesNotMatch(written, /output of @tessera\/core/)
  assert.match(written, /@tessera\/node +301 +0 +1 +4\.0 s +FAILED\n/)
})

test('a package without a vitest summary says its counts are unknown', () => {
  const { passed, written } = replay(
    [
      '@tessera/bench:test: No test files found, exiting with code 1',
      '@tessera/bench#test:  ERROR  command (/repo/bench) pnpm run test exited (1)',
    ],
    1,
  )
  assert.equal(passed, false)
  assert.match(written, /FAILED @tessera\/bench \(\d\.\d s\): counts not found in its output/)
  assert.match(written, /no vitest summary in the output of @tessera\/bench/)
})

test('a turbo failure outside any package is shown and fails the run', () => {
  const { passed, written } = replay([" ERROR  No package found with name 'nope' in workspace"], 1)
  assert.equal(passed, false)
  assert.match(written, /turbo exited with 1:\n ERROR {2}No package found/)
})

test('every package passing and turbo exiting 0 passes', () => {
  const { passed } = replay(['@tessera/bench:test:       Tests  9 passed (9)'], 0)
  assert.equal(passed, true)
})
