import { once } from 'node:events'
import { Redis, type RedisOptions } from 'ioredis'
import pg from 'pg'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession, type SessionStorage } from '../../src'
import { postgresStorage } from '../../src/postgres'
import { redisStorage } from '../../src/redis'
import { type Reply, send, startApp, type TestApp } from './helpers/http-app'
import {
  POSTGRES,
  POSTGRES_PORT,
  REDIS_PORT,
  serverAvailable,
  settlesWithin,
  sleep,
  uniqueSuffix,
} from './helpers/servers'
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy'

const redisUp = await serverAvailable('Redis', REDIS_PORT)
const postgresUp = await serverAvailable('PostgreSQL', POSTGRES_PORT)

const Counter = defineSession<{ count: number }>()('counter', { storage: 'server' })

/**
 * An app with one server-stored counter on `storage`. `POST /counter/increment-gated` calls
 * `between()` after reading the counter and before writing it, so a test can break the storage
 * in the middle of a request.
 */
function counterApp(
  storage: SessionStorage,
  between: () => Promise<void> | void = () => {},
): Promise<TestApp> {
  const engine = createSessions({
    secret: 'faults-test-secret-of-32-bytes!!!!',
    sessions: [cookie(Counter, { storage })],
  })
  return startApp(engine, {
    'GET /nothing': async () => 'ok',
    'GET /counter': (sessions) => sessions.get(Counter),
    'POST /counter/increment': (sessions) =>
      sessions.update(Counter, (c) => ({ count: (c?.count ?? 0) + 1 })),
    'POST /counter/increment-gated': async (sessions) => {
      const current = await sessions.get(Counter)
      await between()
      await sessions.set(Counter, { count: (current?.count ?? 0) + 1 })
      return sessions.get(Counter)
    },
  })
}

/** One request, which must settle (not hang) within 5 s whatever the storage does. */
const bounded = (app: TestApp, method: string, path: string, cookieHeader?: string): Promise<Reply> =>
  settlesWithin(send(app, method, path, cookieHeader), 5000, `${method} ${path}`)

/** Polls until the counter reads again (at most 60 tries, 100 ms apart); returns the reply that did. */
async function recovered(app: TestApp, cookieHeader: string | undefined): Promise<Reply> {
  let reply = await bounded(app, 'GET', '/counter', cookieHeader)
  for (let i = 0; i < 60 && reply.status !== 200; i++) {
    await sleep(100)
    reply = await bounded(app, 'GET', '/counter', cookieHeader)
  }
  return reply
}

type Fault = 'refuse' | 'blackhole'
const FAULTS: readonly Fault[] = ['refuse', 'blackhole']
const inflict = (proxy: TcpProxy, fault: Fault) => (fault === 'refuse' ? proxy.refuse() : proxy.blackhole())

/** The outage and recovery every storage must go through: reads fail with 503, never hang, then work again. */
async function outageAndRecovery(app: TestApp, proxy: TcpProxy): Promise<void> {
  const first = await bounded(app, 'POST', '/counter/increment')
  expect(first.status).toBe(200)
  const session = first.cookie
  for (const fault of FAULTS) {
    await inflict(proxy, fault)
    const reads = [
      await bounded(app, 'GET', '/counter', session),
      await bounded(app, 'GET', '/counter', session),
    ]
    expect(reads.map((r) => [r.status, r.body.error])).toEqual([
      [503, 'STORAGE_UNAVAILABLE'],
      [503, 'STORAGE_UNAVAILABLE'],
    ])
    // A request that does not touch the session costs no storage call, so the outage does not reach it.
    expect((await bounded(app, 'GET', '/nothing', session)).status).toBe(200)
    await proxy.forward()
    const back = await recovered(app, session)
    expect([back.status, back.body]).toEqual([200, { count: 1 }]) // the value survived the outage
  }
  const after = await bounded(app, 'POST', '/counter/increment', session)
  expect([after.status, after.body]).toEqual([200, { count: 2 }])
}

/**
 * The storage breaks between a request's read and its write: the request gets 503, and once the
 * storage is back the write it reported as failed has not been applied behind its back.
 */
async function faultBetweenReadAndWrite(
  app: TestApp,
  proxy: TcpProxy,
  setBetween: (between: () => Promise<void> | void) => void,
): Promise<void> {
  const first = await bounded(app, 'POST', '/counter/increment')
  const session = first.cookie
  expect(first.body).toEqual({ count: 1 })
  for (const fault of FAULTS) {
    setBetween(() => inflict(proxy, fault))
    const write = await bounded(app, 'POST', '/counter/increment-gated', session)
    setBetween(() => {})
    expect([write.status, write.body.error]).toEqual([503, 'STORAGE_UNAVAILABLE'])
    await proxy.forward()
    expect((await recovered(app, session)).status).toBe(200)
    await sleep(300) // room for a queued or resent command to land, if the client kept one
    expect((await bounded(app, 'GET', '/counter', session)).body).toEqual({ count: 1 })
  }
}

describe.runIf(redisUp)('redisStorage faults: Redis down or silent, then back', () => {
  const prefix = `tessera-test:${uniqueSuffix()}:faults:`
  const clients: Redis[] = []
  const nodeRedisClients: ReturnType<typeof createClient>[] = []
  const apps: TestApp[] = []
  const proxies: TcpProxy[] = []
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()))
    for (const client of clients) client.disconnect()
    for (const client of nodeRedisClients) client.destroy()
    await Promise.all(proxies.map((proxy) => proxy.close()))
    const cleaner = new Redis({ host: '127.0.0.1', port: REDIS_PORT })
    const keys = await cleaner.keys(`${prefix}*`)
    if (keys.length > 0) await cleaner.del(...keys)
    await cleaner.quit()
  })

  async function setup(clientOptions: RedisOptions) {
    const proxy = await startTcpProxy(REDIS_PORT)
    proxies.push(proxy)
    const client = new Redis({
      host: '127.0.0.1',
      port: proxy.port,
      retryStrategy: () => 100,
      ...clientOptions,
    })
    client.on('error', () => {})
    clients.push(client)
    // Without an offline queue a command sent before the connection is ready fails at once.
    if (client.status !== 'ready') await settlesWithin(once(client, 'ready'), 5000, 'the Redis connection')
    let between: () => Promise<void> | void = () => {}
    const storage = redisStorage(client, { prefix: `${prefix}${clients.length}:`, timeout: 300 })
    const app = await counterApp(storage, () => between())
    apps.push(app)
    const setBetween = (next: typeof between) => {
      between = next
    }
    return { proxy, app, setBetween }
  }
  const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, autoResendUnfulfilledCommands: false }

  it('ioredis defaults: 503 while down or silent, sessions back without a restart', async () => {
    const { app, proxy } = await setup({})
    await outageAndRecovery(app, proxy)
  })

  it('fail-fast client: 503 while down or silent, sessions back without a restart', async () => {
    const { app, proxy } = await setup(FAIL_FAST)
    await outageAndRecovery(app, proxy)
  })

  it('fail-fast client: a write that failed mid-request is not applied when Redis comes back', async () => {
    const { app, proxy, setBetween } = await setup(FAIL_FAST)
    await faultBetweenReadAndWrite(app, proxy, setBetween)
  })

  /** The same app on a node-redis client with its offline queue off, as docs/storage.md advises. */
  async function setupNodeRedis() {
    const proxy = await startTcpProxy(REDIS_PORT)
    proxies.push(proxy)
    const client = createClient({
      socket: { host: '127.0.0.1', port: proxy.port, reconnectStrategy: () => 100 },
      disableOfflineQueue: true,
    })
    client.on('error', () => {})
    await settlesWithin(client.connect(), 5000, 'the node-redis connection')
    nodeRedisClients.push(client)
    let between: () => Promise<void> | void = () => {}
    const storage = redisStorage(client, {
      prefix: `${prefix}node-redis:${nodeRedisClients.length}:`,
      timeout: 300,
    })
    const app = await counterApp(storage, () => between())
    apps.push(app)
    const setBetween = (next: typeof between) => {
      between = next
    }
    return { proxy, app, setBetween }
  }

  it('node-redis without offline queue: 503 while down or silent, sessions back without a restart', async () => {
    const { app, proxy } = await setupNodeRedis()
    await outageAndRecovery(app, proxy)
  })

  it('node-redis without offline queue: a write that failed mid-request is not applied when Redis comes back', async () => {
    const { app, proxy, setBetween } = await setupNodeRedis()
    await faultBetweenReadAndWrite(app, proxy, setBetween)
  })
})

describe.runIf(postgresUp)('postgresStorage faults: PostgreSQL down or silent, then back', () => {
  const schema = `tessera_test_${uniqueSuffix()}`
  let admin: pg.Pool
  let proxy: TcpProxy
  let pool: pg.Pool
  let app: TestApp
  let between: () => Promise<void> | void = () => {}
  beforeAll(async () => {
    admin = new pg.Pool({ ...POSTGRES, max: 1 })
    await admin.query(`CREATE SCHEMA "${schema}"`)
    proxy = await startTcpProxy(POSTGRES_PORT)
    pool = new pg.Pool({ ...POSTGRES, port: proxy.port, max: 4 })
    const storage = postgresStorage(pool, { table: `${schema}.sessions`, timeout: 500, sweepInterval: false })
    app = await counterApp(storage, () => between())
  })
  afterAll(async () => {
    await app?.close()
    await pool?.end()
    await proxy?.close()
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  })

  it('503 while down or silent (connections refused, statements unanswered), sessions back without a restart', async () => {
    // The storage gave the pool a listener for the 'error' its dying idle connections emit: no crash.
    expect(pool.listenerCount('error')).toBe(1)
    await outageAndRecovery(app, proxy)
  })

  it('a write that failed mid-request is not applied when PostgreSQL comes back', async () => {
    await admin.query(`TRUNCATE "${schema}".sessions`)
    await faultBetweenReadAndWrite(app, proxy, (next) => {
      between = next
    })
  })
})
