// Turns turbo's streamed test output (`turbo run test --output-logs=full --concurrency=1`, every line
// prefixed `<package>:test: `) into a line when each package starts and one when it ends (with its
// duration and its test counts), the full output of a package that failed, and a summary table.
// The counts come from vitest's own summary lines (" Tests  3 failed | 230 passed | 4 skipped (237)"),
// summed when a package runs vitest more than once; a package whose output holds none says so.
// With --concurrency=1 one package runs at a time, so a package ends when the next one starts.
import { stripVTControlCharacters } from 'node:util'

/** Removes terminal colours, which turbo forces on its tasks. */
export const stripAnsi = stripVTControlCharacters

/** Counts from one vitest summary line such as "Tests  1 failed | 9 passed | 2 skipped (12)". */
function countsOf(text) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 }
  for (const [, count, kind] of text.matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
    counts[kind] += Number(count)
  }
  return counts
}

/**
 * vitest's test counts in a package's output (colours stripped), summed over every " Tests "
 * summary line; null when there is none (vitest did not get as far as a summary).
 */
export function parseVitestCounts(output) {
  const lines = output.split('\n').filter((line) => /^\s*Tests\s{2,}\S/.test(line))
  if (lines.length === 0) return null
  const total = { passed: 0, failed: 0, skipped: 0, todo: 0, failedFiles: 0, runs: lines.length }
  for (const line of lines) {
    const counts = countsOf(line)
    for (const kind of ['passed', 'failed', 'skipped', 'todo']) total[kind] += counts[kind]
  }
  for (const line of output.split('\n').filter((line) => /^\s*Test Files\s{2,}\S/.test(line))) {
    total.failedFiles += countsOf(line).failed
  }
  return total
}

function seconds(ms) {
  const s = ms / 1000
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

function describeCounts(counts) {
  if (counts === null) return 'counts not found in its output'
  const parts = [
    `${counts.passed + counts.failed} run`,
    `${counts.failed} failed`,
    `${counts.skipped} skipped`,
  ]
  if (counts.todo > 0) parts.push(`${counts.todo} todo`)
  if (counts.failedFiles > 0)
    parts.push(`${counts.failedFiles} test file${counts.failedFiles > 1 ? 's' : ''} failed`)
  return parts.join(', ')
}

/**
 * A consumer of turbo's output lines. `line(text)` for each line as it arrives, `end(exitCode)` once
 * turbo exited; it writes progress with `write` and returns whether every package passed.
 */
export function createTestProgress({
  write = (text) => process.stdout.write(text),
  now = () => Date.now(),
  colour = false,
} = {}) {
  /** @type {{ name: string, started: number, ended?: number, lines: string[], cached: boolean, failed: boolean, counts?: object | null }[]} */
  const packages = []
  const turboLines = []
  const failedNames = new Set()
  let current

  function finish(pkg) {
    pkg.ended = now()
    const output = pkg.lines.map(stripAnsi).join('\n')
    pkg.counts = parseVitestCounts(output)
    pkg.failed ||= failedNames.has(pkg.name) || (pkg.counts?.failed ?? 0) > 0
    const mark = pkg.failed ? 'FAILED' : 'ok'
    const cached = pkg.cached ? ', cached' : ''
    write(
      `${mark.padEnd(6)} ${pkg.name} (${seconds(pkg.ended - pkg.started)}${cached}): ${describeCounts(pkg.counts)}\n`,
    )
    if (pkg.failed) {
      write(`\n---- output of ${pkg.name} ----\n`)
      write(`${(colour ? pkg.lines : pkg.lines.map(stripAnsi)).join('\n')}\n`)
      write(`---- end of ${pkg.name} ----\n\n`)
    }
  }

  return {
    line(raw) {
      const text = stripAnsi(raw)
      const task = /^(\S+?)([:#])test: ?(.*)$/.exec(text)
      if (task === null) {
        turboLines.push(raw)
        // Turbo's closing summary: "Failed:    @tessera/node#test, @tessera/core#test".
        const failedList = /^\s*Failed:\s+(.*)$/.exec(text)
        if (failedList) {
          for (const name of failedList[1].split(/[\s,]+/)) failedNames.add(name.replace(/#test$/, ''))
        }
        return
      }
      const [, name, separator, rest] = task
      if (current?.name !== name) {
        if (current) finish(current)
        current = packages.find((pkg) => pkg.name === name && pkg.ended === undefined)
        if (!current) {
          current = { name, started: now(), lines: [], cached: false, failed: false }
          packages.push(current)
          write(`start  ${name}\n`)
        }
      }
      // Turbo's own lines about the task use `#`: "<pkg>#test:  ERROR  command (...) exited (1)".
      if (separator === '#' && /\bERROR\b/.test(rest)) current.failed = true
      if (/^cache hit/.test(rest)) current.cached = true
      current.lines.push(separator === '#' ? raw : raw.replace(/^.*?:test: ?/, ''))
    },

    end(exitCode) {
      if (current) finish(current)
      current = undefined
      for (const pkg of packages) {
        if (failedNames.has(pkg.name) && !pkg.failed) pkg.failed = true
      }
      const rows = packages.map((pkg) => [
        pkg.name,
        pkg.counts ? String(pkg.counts.passed + pkg.counts.failed) : '?',
        pkg.counts ? String(pkg.counts.skipped) : '?',
        pkg.counts ? String(pkg.counts.failed) : '?',
        seconds(pkg.ended - pkg.started),
        pkg.failed ? 'FAILED' : pkg.cached ? 'ok (cached)' : 'ok',
      ])
      const header = ['package', 'tests run', 'skipped', 'failed', 'time', 'result']
      const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)))
      const last = header.length - 1
      const format = (row) =>
        row
          .map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
          .join('  ')
          .trimEnd()
      write(`\n${format(header)}\n`)
      for (const row of rows) write(`${format(row)}\n`)
      const unread = packages.filter((pkg) => pkg.counts === null).map((pkg) => pkg.name)
      if (unread.length > 0)
        write(`(no vitest summary in the output of ${unread.join(', ')}: counts unknown)\n`)
      const anyFailed = packages.some((pkg) => pkg.failed)
      if (exitCode !== 0 && !anyFailed) {
        // Turbo failed outside any package's tests (a bad filter, a missing script): show what it said.
        write(`\nturbo exited with ${exitCode}:\n${turboLines.join('\n')}\n`)
      }
      return exitCode === 0 && !anyFailed
    },
  }
}
