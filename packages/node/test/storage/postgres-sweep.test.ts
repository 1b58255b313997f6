/**
 * The PostgreSQL sweep at scale: expired rows inserted by one `generate_series` statement into a
 * test-only schema are swept in batches of 1,000 while an app keeps serving requests on live
 * sessions of the same table. Measured: the sweep's time, and request latency before and during it.
 *
 * Default: 50,000 expired rows (a few seconds). `TESSERA_SWEEP_1M=1`: 1,000,000 rows (about a minute
 * on a two-core machine: the insert alone takes ~13 s), kept out of the default run.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession } from '../../src'
import { type PostgresStorage, postgresStorage } from '../../src/postgres'
import { type Reply, send, startApp, type TestApp } from './helpers/http-app'
import { POSTGRES, POSTGRES_PORT, serverAvailable, settlesWithin, uniqueSuffix } from './helpers/servers'

const up = await serverAvailable('PostgreSQL', POSTGRES_PORT)
const MILLION = process.env.TESSERA_SWEEP_1M === '1'
const EXPIRED_ROWS = MILLION ? 1_000_000 : 50_000
/** Concurrent clients, each incrementing its own live session, one request after the other. */
const WORKERS = 4
/**
 * The load's bounds (requests per worker, time), and how long it runs before the sweep starts: a
 * warm-up left out of the figures, then the baseline.
 */
const MAX_REQUESTS_PER_WORKER = 50_000
const MAX_LOAD_MS = MILLION ? 300_000 : 60_000
const WARMUP_MS = 1000
const BASELINE_MS = 2000

const Counter = defineSession<{ count: number }>()('counter', { storage: 'server' })

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}
const summary = (latencies: number[]) => ({
  requests: latencies.length,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  max: Math.max(0, ...latencies),
})

describe.runIf(up)(`postgresStorage: sweeping ${EXPIRED_ROWS.toLocaleString('en')} expired rows`, () => {
  const schema = `tessera_test_${uniqueSuffix()}`
  const table = `${schema}.sessions`
  let admin: pg.Pool
  let pool: pg.Pool
  let storage: PostgresStorage
  let app: TestApp
  beforeAll(async () => {
    admin = new pg.Pool({ ...POSTGRES, max: 1 })
    await admin.query(`CREATE SCHEMA "${schema}"`)
    pool = new pg.Pool({ ...POSTGRES, max: WORKERS + 2 })
    storage = postgresStorage(pool, { table, sweepInterval: false, timeout: 10_000 })
    await storage.ensureTable()
    app = await startApp(
      createSessions({
        secret: 'sweep-test-secret-of-32-bytes!!!!!',
        sessions: [cookie(Counter, { storage })],
      }),
      {
        'POST /counter/increment': (sessions) =>
          sessions.update(Counter, (current) => ({ count: (current?.count ?? 0) + 1 })),
      },
    )
  })
  afterAll(async () => {
    await app?.close()
    storage?.close()
    await pool?.end()
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  })

  it('deletes them in bounded batches while requests on live sessions go on', {
    timeout: MAX_LOAD_MS + 120_000,
  }, async () => {
    // Live sessions, one per worker, written through the app.
    const live = await Promise.all(
      Array.from({ length: WORKERS }, () => send(app, 'POST', '/counter/increment')),
    )
    expect(live.map((reply) => reply.status)).toEqual(live.map(() => 200))

    const insertStarted = Date.now()
    await admin.query(
      `INSERT INTO "${schema}".sessions (id, data, version, expires_at)
       SELECT 'expired-' || n, '{"json":{"n":' || n || '}}', 1, now() - interval '1 hour' + n * interval '1 millisecond'
       FROM generate_series(1, $1::int) AS n`,
      [EXPIRED_ROWS],
    )
    const insertMs = Date.now() - insertStarted
    await admin.query(`ANALYZE "${schema}".sessions`)

    // The load: each worker increments its own session, one request after the other.
    const samples: { started: number; ended: number; status: number }[] = []
    const start = Date.now()
    let stop = false
    const worker = async (session: Reply) => {
      for (let i = 0; i < MAX_REQUESTS_PER_WORKER && !stop && Date.now() < start + MAX_LOAD_MS; i++) {
        const started = Date.now()
        const reply = await settlesWithin(
          send(app, 'POST', '/counter/increment', session.cookie),
          20_000,
          'a request',
        )
        samples.push({ started, ended: Date.now(), status: reply.status })
      }
    }
    const load = Promise.all(live.map(worker))
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS + BASELINE_MS))

    // Sweep until nothing is left: each call deletes at most 100 batches of 1,000 rows.
    const sweepStarted = Date.now()
    const calls: { rows: number; ms: number }[] = []
    let swept = 0
    for (let call = 0; call < EXPIRED_ROWS / 100_000 + 2; call++) {
      const callStarted = Date.now()
      const rows = await storage.sweep()
      calls.push({ rows, ms: Date.now() - callStarted })
      swept += rows
      if (rows === 0) break
    }
    const sweepEnded = Date.now()
    stop = true
    await load

    expect(swept).toBe(EXPIRED_ROWS)
    expect(calls.every((call) => call.rows <= 100_000)).toBe(true) // bounded per call
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".sessions`)
    expect(rows[0].n).toBe(WORKERS) // the live sessions, and only they, are left
    expect(samples.every((sample) => sample.status === 200)).toBe(true)
    const during = samples.filter((s) => s.started >= sweepStarted && s.ended <= sweepEnded)
    const baseline = samples.filter((s) => s.started >= start + WARMUP_MS && s.ended < sweepStarted)
    // Requests went on all through the sweep: none waited for it to end.
    expect(during.length).toBeGreaterThan(0)
    expect(Math.max(...during.map((s) => s.ended - s.started))).toBeLessThan(sweepEnded - sweepStarted)
    console.log(
      `[postgres sweep] ${JSON.stringify({
        expiredRows: EXPIRED_ROWS,
        insertMs,
        sweepMs: sweepEnded - sweepStarted,
        rowsPerSecond: Math.round(EXPIRED_ROWS / ((sweepEnded - sweepStarted) / 1000)),
        sweepCalls: calls,
        latencyMsBefore: summary(baseline.map((s) => s.ended - s.started)),
        latencyMsDuring: summary(during.map((s) => s.ended - s.started)),
      })}`,
    )
  })
})
