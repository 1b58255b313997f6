import type { LiveRow, LoadOptions, Round, Unmeasured } from '../http/load'
import { finishRow, measureRound, startRow } from '../http/load'
import type { HttpRowSpec } from '../http/rows'
import { HTTP_ROWS, PEER_REFERENCES } from '../http/rows'
import { median } from '../lib/measure'
import type { Row } from '../lib/rows'
import { roundRatio, unmeasured } from '../lib/rows'

const GROUP = 'http'
const LATENCY_GROUP = 'http-latency'

/** What a row gave over all rounds: the median round, and how far the rounds spread. */
interface Summary {
  readonly reqPerSec: number
  readonly p50: number
  readonly p99: number
  readonly requests: number
  /** (best − worst) / median of the rounds' req/s, in percent: how steady the machine was. */
  readonly spread: number
  /** The median round's server CPU time per request, µs. */
  readonly cpuPerRequest: number
}

function summarize(rounds: readonly Round[]): Summary {
  const sorted = [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec)
  // The round whose latencies are reported: the median one (the lower of the two middle ones).
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!
  const reqPerSec = median(sorted.map((round) => round.reqPerSec))
  const spread = ((sorted.at(-1)!.reqPerSec - sorted[0]!.reqPerSec) / reqPerSec) * 100
  return {
    reqPerSec,
    p50: middle.p50,
    p99: middle.p99,
    requests: rounds.reduce((total, round) => total + round.requests, 0),
    spread: Math.round(spread),
    cpuPerRequest: median(rounds.map((round) => round.cpuPerRequest)),
  }
}

/**
 * The ratios of one row. Every row gets `bare`; tessera rows also get each peer; adapter rows get
 * `framework` (the same framework without sessions) and `node-tessera` (node:http doing the same session
 * work). A reference that did not run is left out.
 *
 * A ratio is the median over rounds of (this row ÷ the reference) within the same round: the rows of
 * a round run back to back, so they share the machine's state of that moment, which on a shared
 * machine drifts more between rounds than within one.
 */
function ratiosOf(
  row: HttpRowSpec,
  results: ReadonlyMap<string, Summary | Unmeasured>,
  rounds: ReadonlyMap<string, readonly Round[]>,
): Record<string, number> {
  const ratio: Record<string, number> = {}
  const mine = rounds.get(row.id) ?? []
  const add = (key: string, id: string) => {
    const reference = results.get(id)
    const theirs = rounds.get(id) ?? []
    if (!reference || 'status' in reference || theirs.length !== mine.length || mine.length === 0) return
    const perRound = mine.map((round, i) => round.reqPerSec / theirs[i]!.reqPerSec)
    if (perRound.every(Number.isFinite)) ratio[key] = roundRatio(median(perRound))
  }
  add('bare', PEER_REFERENCES.bare)
  if (row.framework) add('framework', row.framework)
  if (row.sameWork) add('node-tessera', row.sameWork)
  if (row.kind === 'tessera') {
    for (const [key, id] of Object.entries(PEER_REFERENCES)) if (key !== 'bare') add(key, id)
  }
  return ratio
}

const show = (reqPerSec: number) => `${Math.round(reqPerSec).toLocaleString('en-US').padStart(9)} req/s`

/**
 * The HTTP group. Every selected row's server starts (each in its own child), self-checks and warms
 * up; then each round measures every row in turn, one at a time, so the load generator and one
 * busy server share the machine while the other servers sit idle. A row's figure is its median
 * round; a ratio is the median of the per-round ratios.
 */
export async function runHttpGroup(
  options: LoadOptions,
  select: (id: string, name: string) => boolean,
): Promise<Row[]> {
  const specs = HTTP_ROWS.filter((row) => select(row.id, row.name))
  const results = new Map<string, Summary | Unmeasured>()
  const live: LiveRow[] = []
  const rounds = new Map<string, Round[]>()
  try {
    for (const spec of specs) {
      const started = await startRow(spec, options)
      if ('status' in started) {
        results.set(spec.id, started)
        console.log(`  ${spec.name.padEnd(58)} ${started.status}: ${started.reason}`)
      } else {
        live.push(started)
        rounds.set(spec.id, [])
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) console.log(`  round ${round} of ${options.rounds}`)
      for (const row of live) {
        if (results.has(row.row.id)) continue
        const measured = await measureRound(row, options.roundSeconds)
        if ('status' in measured) {
          results.set(row.row.id, measured)
          console.log(`  ${row.row.name.padEnd(58)} ${measured.status}: ${measured.reason}`)
          continue
        }
        rounds.get(row.row.id)!.push(measured)
        console.log(`  ${row.row.name.padEnd(58)} ${show(measured.reqPerSec)}  p99 ${measured.p99} ms`)
      }
    }
  } finally {
    for (const row of live) {
      const problem = await finishRow(row)
      if (problem && !results.has(row.row.id)) results.set(row.row.id, { status: 'failed', reason: problem })
    }
  }
  for (const row of live) {
    if (!results.has(row.row.id)) results.set(row.row.id, summarize(rounds.get(row.row.id)!))
  }

  const out: Row[] = []
  for (const spec of specs) {
    const result = results.get(spec.id)!
    if ('status' in result) {
      out.push(unmeasured(GROUP, spec.name, 'req/s', result.status, result.reason))
      continue
    }
    out.push({
      group: GROUP,
      name: spec.name,
      metric: 'req/s',
      value: Math.round(result.reqPerSec),
      ratio: ratiosOf(spec, results, rounds),
      status: 'ok',
      extra: {
        'p50 ms': result.p50,
        'p99 ms': result.p99,
        requests: result.requests,
        'server CPU µs/req': Math.round(result.cpuPerRequest * 10) / 10,
        ...(options.rounds > 1 ? { 'spread %': result.spread } : {}),
      },
    })
  }
  for (const spec of specs) {
    const result = results.get(spec.id)!
    if (!('status' in result)) {
      out.push({
        group: LATENCY_GROUP,
        name: spec.name,
        metric: 'p99 ms',
        value: result.p99,
        ratio: {},
        status: 'ok',
      })
    }
  }
  return out
}
