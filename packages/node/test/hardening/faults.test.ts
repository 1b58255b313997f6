/**
 * Storage faults under load: Redis and PostgreSQL behind a TCP proxy on 127.0.0.1 that is cut
 * (connections refused) and silenced (bytes dropped) over and over while bounded clients write their
 * sessions through `@tessera/node/http`. Nothing may crash, no request may hang past the storage
 * timeout by more than a bound only a hang breaks, every answer is 200, 503 (storage unavailable) or
 * 409 (a late write moved the version first), and after recovery every session must hold a value its
 * client set, whole, and no older than the last write the server acknowledged.
 *
 * The default run is short; `TESSERA_HARDENING_LONG=1` runs 30 s per storage with more clients.
 */
import { once } from 'node:events'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession, type SessionStorage } from '../../src'
import { postgresStorage } from '../../src/postgres'
import { redisStorage } from '../../src/redis'
import {
  POSTGRES,
  POSTGRES_PORT,
  REDIS_PORT,
  serverAvailable,
  settlesWithin,
  sleep,
  uniqueSuffix,
} from '../storage/helpers/servers'
import { startTcpProxy, type TcpProxy } from '../storage/helpers/tcp-proxy'
import { LONG, type Server, send, serveSessions } from './helpers/http'

const redisUp = await serverAvailable('Redis', REDIS_PORT)
const postgresUp = await serverAvailable('PostgreSQL', POSTGRES_PORT)

const DURATION_MS = LONG ? 30_000 : 3_000
const CLIENTS = LONG ? 24 : 8
/** The storages' timeout: a request does a read and a write, so it may take about twice this. */
const STORAGE_TIMEOUT_MS = 300
/** No request may take longer: far above 2 × the timeout, so only a hang breaks it. */
const REQUEST_BOUND_MS = 5_000

/** A value that shows it is whole: `check` is derived from the rest, and its length varies. */
type Value = { client: number; n: number; check: string }
const expectedValue = (client: number, n: number): Value => ({
  client,
  n,
  check: `${client}:${n}:${'#'.repeat(n % 97)}`,
})
const Counter = defineSession<Value>()('counter', { storage: 'server' })

interface Figures {
  storage: string
  durationMs: number
  clients: number
  requests: number
  ok: number
  unavailable: number
  conflicts: number
  otherStatus: number
  /** Status and body of any other answer, for the report. */
  otherAnswers: Record<string, number>
  faultsInjected: number
  slowestRequestMs: number
  sessionsChecked: number
  sessionsWithLastAcknowledgedValue: number
  sessionsWithALaterAttempt: number
  sessionsLost: number
}
const report: Figures[] = []
afterAll(() => console.log(`[hardening] storage faults under load:\n${JSON.stringify(report, null, 1)}`))

/** Client `k` writes n = 1, 2, 3… one request at a time, keeping its cookie, until `deadline`. */
async function client(
  app: Server,
  k: number,
  deadline: number,
  figures: Figures,
): Promise<{ cookie?: string; attempted: Set<number>; acknowledged: number; sinceCookie: Set<number> }> {
  const state = {
    cookie: undefined as string | undefined,
    attempted: new Set<number>(),
    acknowledged: 0,
    sinceCookie: new Set<number>(),
  }
  for (let n = 1; Date.now() < deadline; n++) {
    state.attempted.add(n)
    state.sinceCookie.add(n)
    const started = Date.now()
    const reply = await settlesWithin(
      send(app, 'POST', `/set?c=${k}&n=${n}`, state.cookie ? { cookie: state.cookie } : {}),
      REQUEST_BOUND_MS,
      `client ${k} request ${n}`,
    )
    figures.slowestRequestMs = Math.max(figures.slowestRequestMs, Date.now() - started)
    figures.requests++
    if (reply.status === 200) {
      figures.ok++
      state.acknowledged = n
      const issued = reply.cookies.get('counter')
      if (issued) {
        // A client that held a session and is handed a new one had its session read as absent: lost.
        if (state.cookie) figures.sessionsLost++
        // A new session: earlier attempts belong to sessions this client no longer holds.
        state.cookie = `counter=${issued}`
        state.sinceCookie = new Set([n])
      }
    } else if (reply.status === 503) {
      figures.unavailable++
      await sleep(20)
    } else if (reply.status === 409) {
      // A write given up earlier was delivered late (ioredis resends it on reconnect) and moved the
      // version: compare-and-set refuses this one rather than overwrite blindly. Nothing is written.
      figures.conflicts++
    } else {
      figures.otherStatus++
      const key = `${reply.status} ${reply.text.slice(0, 60)}`
      figures.otherAnswers[key] = (figures.otherAnswers[key] ?? 0) + 1
    }
  }
  return state
}

/** Cuts and silences the proxy in turns until `deadline`; returns how many faults it injected. */
async function faults(proxy: TcpProxy, deadline: number): Promise<number> {
  let injected = 0
  for (let turn = 0; Date.now() < deadline - 600; turn++) {
    await sleep(350)
    if (turn % 2 === 0) await proxy.refuse()
    else proxy.blackhole()
    injected++
    await sleep(250 + (turn % 3) * 100)
    await proxy.forward()
  }
  return injected
}

/** Runs the load and the faults, then reads every client's session back once the storage answers. */
async function underFaults(label: string, storage: SessionStorage, proxy: TcpProxy): Promise<Figures> {
  const engine = createSessions({
    secret: 'hardening faults: a secret of 32+ bytes',
    sessions: [cookie(Counter, { storage })],
  })
  const app = await serveSessions(engine, {
    'POST /set': async (req, url) => {
      await req.sessions.set(
        Counter,
        expectedValue(Number(url.searchParams.get('c')), Number(url.searchParams.get('n'))),
      )
    },
    'GET /get': (req) => req.sessions.get(Counter),
  })
  const figures: Figures = {
    storage: label,
    durationMs: DURATION_MS,
    clients: CLIENTS,
    requests: 0,
    ok: 0,
    unavailable: 0,
    conflicts: 0,
    otherStatus: 0,
    otherAnswers: {},
    faultsInjected: 0,
    slowestRequestMs: 0,
    sessionsChecked: 0,
    sessionsWithLastAcknowledgedValue: 0,
    sessionsWithALaterAttempt: 0,
    sessionsLost: 0,
  }
  try {
    const deadline = Date.now() + DURATION_MS
    const [states, injected] = await Promise.all([
      Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(app, k, deadline, figures))),
      faults(proxy, deadline),
    ])
    figures.faultsInjected = injected
    await proxy.forward()
    // Recovery: the storage answers again without a restart.
    let probe = await send(app, 'GET', '/get')
    for (let i = 0; i < 100 && probe.status !== 200; i++) {
      await sleep(100)
      probe = await send(app, 'GET', '/get')
    }
    expect(probe.status).toBe(200)
    for (const [k, state] of states.entries()) {
      if (!state.cookie) continue
      let reply = await send(app, 'GET', '/get', { cookie: state.cookie })
      for (let i = 0; i < 20 && reply.status !== 200; i++) {
        await sleep(100)
        reply = await send(app, 'GET', '/get', { cookie: state.cookie })
      }
      expect(reply.status).toBe(200)
      const value = reply.body.value as Value
      // Never absent, never torn, never another client's, never older than the last acknowledged write.
      expect(value).not.toBeNull()
      expect(value).toEqual(expectedValue(k, value.n))
      expect(state.sinceCookie.has(value.n)).toBe(true)
      expect(value.n).toBeGreaterThanOrEqual(state.acknowledged)
      figures.sessionsChecked++
      if (value.n === state.acknowledged) figures.sessionsWithLastAcknowledgedValue++
      else figures.sessionsWithALaterAttempt++
    }
  } finally {
    await app.close()
  }
  report.push(figures)
  return figures
}

const TEST_TIMEOUT = DURATION_MS + 60_000

describe.runIf(redisUp)('Redis cut and silenced under load (ioredis defaults: offline queue, resend)', () => {
  const prefix = `tessera-hardening-faults-${uniqueSuffix()}:`
  let proxy: TcpProxy | undefined
  let redis: Redis | undefined
  afterAll(async () => {
    redis?.disconnect()
    await proxy?.close()
    const cleaner = new Redis({ host: '127.0.0.1', port: REDIS_PORT })
    const keys = await cleaner.keys(`${prefix}*`)
    if (keys.length > 0) await cleaner.del(...keys)
    await cleaner.quit()
  })

  it(`${CLIENTS} clients for ${DURATION_MS / 1000} s: no crash, no hang, every session whole and a value its client set`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    proxy = await startTcpProxy(REDIS_PORT)
    redis = new Redis({ host: '127.0.0.1', port: proxy.port, retryStrategy: () => 50 })
    redis.on('error', () => {})
    await settlesWithin(once(redis, 'ready'), 5000, 'the Redis connection')
    const figures = await underFaults(
      'redis',
      redisStorage(redis, { prefix, timeout: STORAGE_TIMEOUT_MS }),
      proxy,
    )
    expect(figures.faultsInjected).toBeGreaterThanOrEqual(2)
    expect(figures.ok).toBeGreaterThan(0)
    expect(figures.unavailable).toBeGreaterThan(0) // the faults were felt
    expect(figures.otherAnswers).toEqual({})
    expect(figures.sessionsLost).toBe(0)
    expect(figures.sessionsChecked).toBeGreaterThan(CLIENTS / 2)
  })
})

describe.runIf(postgresUp)('PostgreSQL cut and silenced under load', () => {
  const schema = `tessera_hardening_${uniqueSuffix()}`
  const admin = postgresUp ? new pg.Pool({ ...POSTGRES, max: 1 }) : undefined
  let proxy: TcpProxy | undefined
  let pool: pg.Pool | undefined
  afterAll(async () => {
    await pool?.end()
    await proxy?.close()
    await admin!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin!.end()
  })

  it(`${CLIENTS} clients for ${DURATION_MS / 1000} s: no crash, no hang, every session whole and a value its client set`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    await admin!.query(`CREATE SCHEMA "${schema}"`)
    proxy = await startTcpProxy(POSTGRES_PORT)
    pool = new pg.Pool({ ...POSTGRES, port: proxy.port, max: 6, connectionTimeoutMillis: 1000 })
    // The table is made beforehand, without the short timeout the faults are judged by.
    await postgresStorage(admin!, {
      table: `${schema}.sessions`,
      sweepInterval: false,
      timeout: 10_000,
    }).ensureTable()
    const storage = postgresStorage(pool, {
      table: `${schema}.sessions`,
      timeout: STORAGE_TIMEOUT_MS,
      sweepInterval: false,
      createTable: false,
    })
    const figures = await underFaults('postgres', storage, proxy)
    expect(figures.faultsInjected).toBeGreaterThanOrEqual(2)
    expect(figures.ok).toBeGreaterThan(0)
    expect(figures.unavailable).toBeGreaterThan(0)
    expect(figures.otherAnswers).toEqual({})
    expect(figures.sessionsLost).toBe(0)
    expect(figures.sessionsChecked).toBeGreaterThan(CLIENTS / 2)
  })
})
