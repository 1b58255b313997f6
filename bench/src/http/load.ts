import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { forkTracked, nextMessage, stopChild } from '../lib/children'
import { BENCH_DIR, REPO_ROOT } from '../lib/paths'
import { RMW_PATH } from '../workload'
import type { HttpRowSpec } from './rows'

/** How hard and how long each row is loaded. */
export interface LoadOptions {
  readonly connections: number
  readonly warmupSeconds: number
  readonly measureSeconds: number
  /** Write a CPU profile of each server child into this folder. */
  readonly profileDir?: string | undefined
}

/** What one load row gave. */
export type LoadOutcome =
  | {
      readonly status: 'ok'
      readonly reqPerSec: number
      readonly p50: number
      readonly p99: number
      readonly requests: number
    }
  | { readonly status: 'pending' | 'failed'; readonly reason: string }

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
function cannon(url: string, cookies: readonly string[], seconds: number): Promise<autocannon.Result> {
  let next = 0
  return autocannon({
    url,
    connections: cookies.length,
    duration: seconds,
    timeout: 10,
    setupClient(client) {
      client.setHeaders({ cookie: cookies[next++ % cookies.length]! })
    },
  })
}

/**
 * Runs one row: forks its server, waits for the self-check, warms up, measures, stops the child.
 * A row whose tessera files are missing reads "pending"; a server that fails its self-check, or
 * answers any measured request with an error, a non-2xx status or a timeout, reads "failed".
 */
export async function runLoadRow(row: HttpRowSpec, options: LoadOptions): Promise<LoadOutcome> {
  const missing = row.requires.filter((file) => !existsSync(join(REPO_ROOT, file)))
  if (missing.length > 0) return { status: 'pending', reason: `${missing.join(', ')} not there yet` }

  const execArgv: string[] = []
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true })
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${options.profileDir}`,
      `--cpu-prof-name=${row.id}.cpuprofile`,
    )
  }
  const tracked = forkTracked(CHILD, [row.id, String(options.connections)], {
    execArgv,
    env: { NODE_ENV: 'production' },
  })
  try {
    const answer = await nextMessage(tracked, isAnswer, START_TIMEOUT_MS).catch((error: Error) => ({
      type: 'error' as const,
      reason: `${error.message}${tracked.stderr() ? `: ${lastLine(tracked.stderr())}` : ''}`,
    }))
    if (answer.type === 'error') return { status: 'failed', reason: answer.reason }
    const url = `http://127.0.0.1:${answer.port}${row.path}`
    await cannon(url, answer.cookies, options.warmupSeconds)
    const result = await cannon(url, answer.cookies, options.measureSeconds)
    const faults = result.non2xx + result.errors + result.timeouts
    if (faults > 0)
      return {
        status: 'failed',
        reason: `${faults} of ${result.requests.total} responses were errors, non-2xx or timeouts`,
      }
    if (answer.sessions) {
      const problem = await checkSessionWasRead(url, answer.cookies[0]!, row.path === RMW_PATH ? 2 : 1)
      if (problem) return { status: 'failed', reason: problem }
    }
    return {
      status: 'ok',
      reqPerSec: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
    }
  } finally {
    await stopChild(tracked)
  }
}

/**
 * After the load, one more request with a connection's cookie must show the session was read (its
 * count carried on), not silently replaced by a new one: a cookie the server could not read would
 * otherwise measure "make a new session" instead of the workload.
 */
async function checkSessionWasRead(url: string, cookie: string, least: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(5000) })
    const { count } = (await response.json()) as { count?: unknown }
    if (typeof count === 'number' && count >= least) return undefined
    return `after the load, a connection's cookie read count ${String(count)} (expected at least ${least}): the session was not read`
  } catch (error) {
    return `the check after the load failed: ${(error as Error).message}`
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n')
  return (lines.at(-1) ?? '').slice(0, 300)
}
