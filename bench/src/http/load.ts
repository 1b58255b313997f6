import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import type { TrackedChild } from '../lib/children'
import { forkTracked, nextMessage, stopChild } from '../lib/children'
import { BENCH_DIR, REPO_ROOT } from '../lib/paths'
import type { Pinning } from '../lib/pinning'
import { pinServer } from '../lib/pinning'
import { RMW_PATH } from '../workload'
import type { HttpRowSpec } from './rows'

/** How hard and how long each row is loaded. */
export interface LoadOptions {
  readonly connections: number
  /** Connections of the latency pass (p99 under more concurrency), after the rounds. */
  readonly latencyConnections: number
  /** Seconds of the latency pass per row. */
  readonly latencySeconds: number
  /** Seconds of warm-up per row, right after its self-check. */
  readonly warmupSeconds: number
  /** Seconds measured per row per round. */
  readonly roundSeconds: number
  /** Rounds; each round measures every row once, in turn, so slow spells of a shared machine hit all rows alike. */
  readonly rounds: number
  /** Write a CPU profile of each server child (warm-up and load only) into this folder. */
  readonly profileDir?: string | undefined
  /** Where the server children go (core 0 when the run is pinned). */
  readonly pinning: Pinning
}

/** One measured window of one row. */
export interface Round {
  readonly reqPerSec: number
  readonly p50: number
  readonly p99: number
  readonly requests: number
  /** CPU time (user + system) the server process spent per request in the window, µs. */
  readonly cpuPerRequest: number
}

/** A row whose server is up, self-checked and warm. */
export interface LiveRow {
  readonly row: HttpRowSpec
  readonly url: string
  readonly cookies: readonly string[]
  readonly sessions: boolean
  readonly tracked: TrackedChild
}

/** Why a row could not be measured. */
export interface Unmeasured {
  readonly status: 'pending' | 'failed'
  readonly reason: string
}

const CHILD = join(BENCH_DIR, 'src', 'http', 'child.ts')
const START_TIMEOUT_MS = 30_000

interface Ready {
  type: 'ready'
  port: number
  cookies: string[]
  sessions: boolean
}
interface Failure {
  type: 'error'
  reason: string
}
const isAnswer = (message: any): message is Ready | Failure =>
  message?.type === 'ready' || message?.type === 'error'

/** One bounded autocannon run; each connection sends its own session cookie. */
function cannon(
  url: string,
  cookies: readonly string[],
  connections: number,
  seconds: number,
): Promise<autocannon.Result> {
  let next = 0
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    setupClient(client) {
      client.setHeaders({ cookie: cookies[next++ % cookies.length]! })
    },
  })
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n')
  return (lines.at(-1) ?? '').slice(0, 300)
}

/**
 * Starts one row: forks its server, waits for the self-check, warms it up. A row whose tessera files
 * are missing is "pending"; a server that fails its self-check or errs during warm-up is "failed".
 * The child keeps running (idle) until {@link finishRow}.
 */
export async function startRow(row: HttpRowSpec, options: LoadOptions): Promise<LiveRow | Unmeasured> {
  const missing = row.requires.filter((file) => !existsSync(join(REPO_ROOT, file)))
  if (missing.length > 0) return { status: 'pending', reason: `${missing.join(', ')} not there yet` }

  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' }
  if (row.tesseraDir) env.BENCH_TESSERA_DIR = row.tesseraDir
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true })
    env.BENCH_PROFILE = join(options.profileDir, `${row.key.replace('/', '-')}.cpuprofile`)
  }
  // One session cookie per connection of the busiest pass.
  const cookies = Math.max(options.connections, options.latencyConnections)
  const tracked = forkTracked(CHILD, [row.id, String(cookies)], { env })
  pinServer(tracked.child.pid, options.pinning)
  const answer = await nextMessage(tracked, isAnswer, START_TIMEOUT_MS).catch((error: Error) => ({
    type: 'error' as const,
    reason: `${error.message}${tracked.stderr() ? `: ${lastLine(tracked.stderr())}` : ''}`,
  }))
  if (answer.type === 'error') {
    await stopChild(tracked)
    return { status: 'failed', reason: answer.reason }
  }
  const live: LiveRow = {
    row,
    url: `http://127.0.0.1:${answer.port}${row.path}`,
    cookies: answer.cookies,
    sessions: answer.sessions,
    tracked,
  }
  const warm = await measureRound(live, options.connections, options.warmupSeconds)
  if ('status' in warm) {
    await stopChild(tracked)
    return { status: 'failed', reason: `during warm-up: ${warm.reason}` }
  }
  return live
}

/** One measured window. Any error, non-2xx answer or timeout fails the row: it measured a broken server. */
export async function measureRound(
  live: LiveRow,
  connections: number,
  seconds: number,
): Promise<Round | Unmeasured> {
  const before = await serverCpu(live)
  const result = await cannon(live.url, live.cookies, connections, seconds)
  const after = await serverCpu(live)
  const faults = result.non2xx + result.errors + result.timeouts
  if (faults > 0) {
    return {
      status: 'failed',
      reason: `${faults} of ${result.requests.total} responses were errors, non-2xx or timeouts`,
    }
  }
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    cpuPerRequest: (after - before) / Math.max(1, result.requests.total),
  }
}

interface CpuAnswer {
  type: 'cpu'
  user: number
  system: number
}
const isCpu = (message: any): message is CpuAnswer => message?.type === 'cpu'

/** The CPU time (user + system, µs) the row's server process has used so far. */
async function serverCpu(live: LiveRow): Promise<number> {
  const answer = nextMessage(live.tracked, isCpu, START_TIMEOUT_MS)
  live.tracked.child.send({ type: 'cpu' })
  const { user, system } = await answer
  return user + system
}

/**
 * After the load, one more request with a connection's cookie must show the session was read (its
 * count carried on), not silently replaced by a new one: a cookie the server could not read would
 * otherwise measure "make a new session" instead of the workload. Then the child is stopped.
 */
export async function finishRow(live: LiveRow): Promise<string | undefined> {
  try {
    if (!live.sessions) return undefined
    const least = live.row.path === RMW_PATH ? 2 : 1
    const response = await fetch(live.url, {
      headers: { cookie: live.cookies[0]! },
      signal: AbortSignal.timeout(5000),
    })
    const { count } = (await response.json()) as { count?: unknown }
    if (typeof count === 'number' && count >= least) return undefined
    return `after the load, a connection's cookie read count ${String(count)} (expected at least ${least}): the session was not read`
  } catch (error) {
    return `the check after the load failed: ${(error as Error).message}`
  } finally {
    await stopChild(live.tracked)
  }
}
