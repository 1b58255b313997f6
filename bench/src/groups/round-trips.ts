import type { SessionEngine, SessionStorage } from '@tessera/core'
import { cookie, defineSession, memoryStorage } from '@tessera/core'
import type { BenchRedis } from '../lib/redis'
import { connectBenchRedis } from '../lib/redis'
import type { Row } from '../lib/rows'
import { unmeasured } from '../lib/rows'
import { engineFor, fakeRequest, hasFile } from '../lib/tessera'
import type { Cart } from '../workload'
import { BENCH_SECRET, bump, newCart } from '../workload'

const GROUP = 'storage'
const METRIC = 'round trips/request'

type Scenario = 'read-only' | 'read-modify-write' | 'set of an equal value' | 'untouched' | 'new session'

interface Counter {
  take(): { reads: number; writes: number; other: number }
}

/** Storage calls counted on the storage itself. */
function countingStorage(inner: SessionStorage): { storage: SessionStorage } & Counter {
  const counts = { reads: 0, writes: 0, other: 0 }
  const storage: SessionStorage = {
    read: (id) => {
      counts.reads++
      return inner.read(id)
    },
    write: (id, data, options) => {
      counts.writes++
      return inner.write(id, data, options)
    },
    invalidate: (id) => {
      counts.other++
      return inner.invalidate(id)
    },
  }
  return { storage, take: () => takeCounts(counts) }
}

function takeCounts(counts: { reads: number; writes: number; other: number }) {
  const taken = { ...counts }
  counts.reads = counts.writes = counts.other = 0
  return taken
}

/**
 * Redis round trips counted on the client: every command the storage sends (HMGET to read, the
 * compare-and-set script by EVALSHA, EVAL when Redis lacks the script) is one round trip.
 */
async function countingRedis(): Promise<
  ({ storage: SessionStorage; close: () => Promise<void> } & Counter) | string
> {
  if (!hasFile('packages/node/src/redis/index.ts')) return 'packages/node/src/redis/index.ts not there yet'
  const { redisStorage } = await import('@tessera/node/redis')
  let redis: BenchRedis
  try {
    redis = await connectBenchRedis('rt')
  } catch (error) {
    return (error as Error).message
  }
  const { client, prefix, close } = redis
  const counts = { reads: 0, writes: 0, other: 0 }
  const counted = {
    options: client.options,
    hmget: (key: string, ...fields: string[]) => {
      counts.reads++
      return client.hmget(key, ...fields)
    },
    evalsha: (sha: string, keys: number, ...args: (string | number)[]) => {
      counts.writes++
      return client.evalsha(sha, keys, ...args)
    },
    eval: (script: string, keys: number, ...args: (string | number)[]) => {
      counts.writes++
      return client.eval(script, keys, ...args)
    },
  }
  return { storage: redisStorage(counted, { prefix }), take: () => takeCounts(counts), close }
}

/** Drives the engine through each scenario, one request each, and counts the storage's round trips. */
async function scenarioRows(
  label: string,
  storage: SessionStorage,
  counter: Counter,
  select: (name: string) => boolean,
): Promise<Row[]> {
  const Stored = defineSession<Cart>()('cart', { storage: 'server' })
  const { engine, via } = await engineFor({ secret: BENCH_SECRET, sessions: [cookie(Stored, { storage })] })

  const request = async (
    cookieHeader: string | undefined,
    work: (s: ReturnType<SessionEngine['open']>) => Promise<unknown>,
  ) => {
    const { io, setCookies } = fakeRequest(cookieHeader)
    const sessions = engine.open(io)
    await work(sessions)
    sessions.commit()
    return setCookies
  }

  const scenarios: Record<Scenario, (s: ReturnType<SessionEngine['open']>) => Promise<unknown>> = {
    'new session': (s) => s.set(Stored, newCart()),
    'read-only': (s) => s.get(Stored),
    'read-modify-write': async (s) => s.set(Stored, bump(await s.get(Stored), newCart)),
    'set of an equal value': async (s) => s.set(Stored, (await s.get(Stored))!),
    untouched: async () => {},
  }

  counter.take()
  const made = await request(undefined, scenarios['new session'])
  const creation = counter.take()
  const cookieHeader = made[0]?.split(';', 1)[0]
  if (!cookieHeader)
    return [unmeasured(GROUP, `stored (${label})`, METRIC, 'failed', 'no session cookie was written')]

  const rows: Row[] = []
  for (const scenario of Object.keys(scenarios) as Scenario[]) {
    const name = `stored (${label}), ${scenario}`
    if (!select(name)) continue
    let counts = creation
    let setCookies = made
    if (scenario !== 'new session') {
      setCookies = await request(cookieHeader, scenarios[scenario])
      counts = counter.take()
    }
    const total = counts.reads + counts.writes + counts.other
    console.log(
      `  ${name.padEnd(58)} ${String(total).padStart(12)} (reads ${counts.reads}, writes ${counts.writes})`,
    )
    rows.push({
      group: GROUP,
      name,
      metric: METRIC,
      value: total,
      ratio: {},
      status: 'ok',
      note: `via ${via}`,
      extra: {
        reads: counts.reads,
        writes: counts.writes,
        other: counts.other,
        'Set-Cookie': setCookies.length,
      },
    })
  }
  return rows
}

/**
 * Storage round trips per request for a server-stored session (the brief: one to read, one to
 * write, zero when nothing changed), counted with a wrapper around `memoryStorage` and around the
 * Redis client, driving the engine with one request per scenario.
 */
export async function runRoundTripGroup(select: (name: string) => boolean): Promise<Row[]> {
  const memory = countingStorage(memoryStorage())
  const rows = await scenarioRows('memory', memory.storage, memory, select)
  if (!select('stored (redis)')) return rows
  const redis = await countingRedis().catch((error: Error) => error.message)
  if (typeof redis === 'string') {
    rows.push(
      unmeasured(
        GROUP,
        'stored (redis)',
        METRIC,
        redis.includes('not there yet') ? 'pending' : 'failed',
        redis,
      ),
    )
    return rows
  }
  try {
    rows.push(...(await scenarioRows('redis', redis.storage, redis, select)))
  } finally {
    await redis.close()
  }
  return rows
}
