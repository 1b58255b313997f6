import type { LiveRow, LoadOptions, Round, Unmeasured } from '../http/load'
import { finishRow, measureRound, startRow } from '../http/load'
import type { HttpRowSpec } from '../http/rows'
import { httpRows, PEER_REFERENCES } from '../http/rows'
import { median } from '../lib/measure'
import type { Row } from '../lib/rows'
import { HTTP_CAPACITY_GROUP, roundRatio, unmeasured } from '../lib/rows'

const GROUP = 'http'
/** p99 at the rounds' connections (10). */
const LATENCY_GROUP = 'http-latency'
/** p99 of the latency pass, at more connections (50). */
const BUSY_LATENCY_GROUP = 'http-latency-busy'

/** A row's figure in one round: what its ratios and spread are taken of. */
export type Measure = (round: Round) => number

/** Requests per second under the load generator: what a client sees, the load generator's noise included. */
export const THROUGHPUT: Measure = (round) => round.reqPerSec

/**
 * Requests per second of the server's own CPU time (1e6 ÷ its CPU µs per request): what the server can
 * serve on one core. The load generator's pace and time the hypervisor lends to others stay out of it.
 */
export const CAPACITY: Measure = (round) => 1e6 / Math.max(round.cpuPerRequest, Number.EPSILON)

/**
 * How far a row's rounds spread, in percent of their median: (best − worst) / median, over the rounds
 * left once the single best and single worst are set aside when there are at least five. One round
 * caught by a slow spell of the shared machine (seen: every row of one round 15 to 20% slower) then
 * does not veto a ratio on its own; two such rounds still do.
 */
export function spreadOf(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const kept = sorted.length >= TRIM_FROM ? sorted.slice(1, -1) : sorted
  return Math.round(((kept.at(-1)! - kept[0]!) / median(sorted)) * 100)
}

/** Rounds from which {@link spreadOf} sets the best and the worst aside. */
const TRIM_FROM = 5

/** What a row gave over all rounds: the median round, and how far the rounds spread. */
export interface Summary {
  readonly reqPerSec: number
  readonly p50: number
  readonly p99: number
  readonly requests: number
  /** {@link spreadOf} the rounds' req/s. */
  readonly spread: number
  /** The median round's server CPU time per request, µs. */
  readonly cpuPerRequest: number
  /** The median round's {@link CAPACITY}, and {@link spreadOf} the rounds' capacities. */
  readonly capacity: number
  readonly capacitySpread: number
}

function summarize(rounds: readonly Round[]): Summary {
  const sorted = [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec)
  // The round whose latencies are reported: the median one (the lower of the two middle ones).
  const middle = sorted[Math.floor((sorted.length - 1) / 2)]!
  const capacities = rounds.map(CAPACITY)
  return {
    reqPerSec: median(sorted.map(THROUGHPUT)),
    p50: middle.p50,
    p99: middle.p99,
    requests: rounds.reduce((total, round) => total + round.requests, 0),
    spread: spreadOf(rounds.map(THROUGHPUT)),
    cpuPerRequest: median(rounds.map((round) => round.cpuPerRequest)),
    capacity: median(capacities),
    capacitySpread: spreadOf(capacities),
  }
}

/** A ratio is quoted only when both rows' rounds spread by at most this much (percent). */
export const STABLE_SPREAD = 15

/** A row's ratios, and the keys among them that are not to be quoted (a spread over {@link STABLE_SPREAD}). */
interface Ratios {
  readonly ratio: Record<string, number>
  readonly unstable: string[]
}

/**
 * The ratios of one row. Every row gets `bare`; tessera rows also get each peer; adapter rows get
 * `framework` (the same framework without sessions) and `node-tessera` (node:http doing the same session
 * work); a row with a baseline twin gets `before` (this checkout ÷ the older one). A reference that
 * did not run is left out.
 *
 * A ratio is the median over rounds of (this row ÷ the reference) within the same round: the rows of
 * a round run back to back, so they share the machine's state of that moment, which on a shared
 * machine drifts more between rounds than within one. It is marked unstable when either row's rounds
 * spread by more than {@link STABLE_SPREAD}%.
 */
export function ratiosOf(
  row: HttpRowSpec,
  results: ReadonlyMap<string, Summary | Unmeasured>,
  rounds: ReadonlyMap<string, readonly Round[]>,
  measure: Measure = THROUGHPUT,
): Ratios {
  const ratio: Record<string, number> = {}
  const unstable: string[] = []
  const mine = rounds.get(row.key) ?? []
  const own = results.get(row.key)
  const ownSpread = own && !('status' in own) ? spreadOf(mine.map(measure)) : Number.POSITIVE_INFINITY
  const add = (key: string, id: string) => {
    const reference = results.get(id)
    const theirs = rounds.get(id) ?? []
    if (!reference || 'status' in reference || theirs.length !== mine.length || mine.length === 0) return
    const perRound = mine.map((round, i) => measure(round) / measure(theirs[i]!))
    if (!perRound.every(Number.isFinite)) return
    ratio[key] = roundRatio(median(perRound))
    const spreads = [spreadOf(theirs.map(measure)), ownSpread]
    if (mine.length > 1 && spreads.some((spread) => spread > STABLE_SPREAD)) unstable.push(key)
  }
  add('bare', PEER_REFERENCES.bare)
  if (row.framework) add('framework', row.framework)
  if (row.sameWork) add('node-tessera', row.sameWork)
  if (row.before) add('before', row.before)
  if (row.kind === 'tessera' && row.tesseraDir === undefined) {
    for (const [key, id] of Object.entries(PEER_REFERENCES)) if (key !== 'bare') add(key, id)
  }
  return { ratio, unstable }
}

const show = (reqPerSec: number) => `${Math.round(reqPerSec).toLocaleString('en-US').padStart(9)} req/s`

/** What the HTTP group needs beside the load options: which rows, and an older checkout to compare with. */
export interface HttpGroupOptions {
  readonly select: (id: string, name: string) => boolean
  /** A checkout of an older commit (installed), for the before/after rows of `--baseline`. */
  readonly baselineDir?: string | undefined
}

/**
 * The HTTP group. Every selected row's server starts (each in its own child), self-checks and warms
 * up; then each round measures every row in turn, one at a time, so the load generator and one
 * busy server share the machine while the other servers sit idle. A row's figure is its median
 * round; a ratio is the median of the per-round ratios. A last pass measures each row's p99 latency
 * under more connections.
 */
export async function runHttpGroup(options: LoadOptions, group: HttpGroupOptions): Promise<Row[]> {
  const specs = httpRows(group.baselineDir).filter((row) => group.select(row.id, row.name))
  const results = new Map<string, Summary | Unmeasured>()
  const live: LiveRow[] = []
  const rounds = new Map<string, Round[]>()
  const busyP99 = new Map<string, number>()
  const fail = (row: LiveRow, failure: Unmeasured) => {
    results.set(row.row.key, failure)
    console.log(`  ${row.row.name.padEnd(58)} ${failure.status}: ${failure.reason}`)
  }
  try {
    for (const spec of specs) {
      const started = await startRow(spec, options)
      if ('status' in started) {
        results.set(spec.key, started)
        console.log(`  ${spec.name.padEnd(58)} ${started.status}: ${started.reason}`)
      } else {
        live.push(started)
        rounds.set(spec.key, [])
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) console.log(`  round ${round} of ${options.rounds}`)
      for (const row of live) {
        if (results.has(row.row.key)) continue
        const measured = await measureRound(row, options.connections, options.roundSeconds)
        if ('status' in measured) {
          fail(row, measured)
          continue
        }
        rounds.get(row.row.key)!.push(measured)
        console.log(
          `  ${row.row.name.padEnd(58)} ${show(measured.reqPerSec)}  p99 ${measured.p99} ms  server ${measured.cpuPerRequest.toFixed(1)} µs/req`,
        )
      }
    }
    console.log(`  latency pass, ${options.latencyConnections} connections`)
    for (const row of live) {
      if (results.has(row.row.key)) continue
      const measured = await measureRound(row, options.latencyConnections, options.latencySeconds)
      if ('status' in measured) {
        fail(row, measured)
        continue
      }
      busyP99.set(row.row.key, measured.p99)
      console.log(`  ${row.row.name.padEnd(58)} p99 ${measured.p99} ms`)
    }
  } finally {
    for (const row of live) {
      const problem = await finishRow(row)
      if (problem && !results.has(row.row.key))
        results.set(row.row.key, { status: 'failed', reason: problem })
    }
  }
  for (const row of live) {
    if (!results.has(row.row.key)) results.set(row.row.key, summarize(rounds.get(row.row.key)!))
  }

  const out: Row[] = []
  const capacity: Row[] = []
  const latency: Row[] = []
  const busyLatency: Row[] = []
  for (const spec of specs) {
    const result = results.get(spec.key)!
    if ('status' in result) {
      out.push(unmeasured(GROUP, spec.name, 'req/s', result.status, result.reason))
      capacity.push(
        unmeasured(HTTP_CAPACITY_GROUP, spec.name, 'req/s of server CPU', result.status, result.reason),
      )
      continue
    }
    const { ratio, unstable } = ratiosOf(spec, results, rounds)
    out.push({
      group: GROUP,
      name: spec.name,
      metric: 'req/s',
      value: Math.round(result.reqPerSec),
      ratio,
      unstable,
      status: 'ok',
      extra: {
        ...(options.rounds > 1 ? { 'spread %': result.spread } : {}),
        'p50 ms': result.p50,
        'p99 ms': result.p99,
        [`p99 ms @${options.latencyConnections}`]: busyP99.get(spec.key) ?? '',
        requests: result.requests,
        'server CPU µs/req': Math.round(result.cpuPerRequest * 10) / 10,
      },
    })
    const p99 = (group: string, value: number): Row => ({
      group,
      name: spec.name,
      metric: 'p99 ms',
      value,
      ratio: {},
      status: 'ok',
    })
    const capacityRatios = ratiosOf(spec, results, rounds, CAPACITY)
    capacity.push({
      group: HTTP_CAPACITY_GROUP,
      name: spec.name,
      metric: 'req/s of server CPU',
      value: Math.round(result.capacity),
      ratio: capacityRatios.ratio,
      unstable: capacityRatios.unstable,
      status: 'ok',
      extra: {
        ...(options.rounds > 1 ? { 'spread %': result.capacitySpread } : {}),
        'server CPU µs/req': Math.round(result.cpuPerRequest * 10) / 10,
      },
    })
    latency.push(p99(LATENCY_GROUP, result.p99))
    const busy = busyP99.get(spec.key)
    if (busy !== undefined) busyLatency.push(p99(BUSY_LATENCY_GROUP, busy))
  }
  return [...out, ...capacity, ...latency, ...busyLatency]
}
