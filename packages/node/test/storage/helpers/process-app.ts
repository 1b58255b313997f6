/**
 * One instance of a small app with tessera on node:http, for the tests that run it in several
 * processes at once. Prints `port N` once it listens on 127.0.0.1, and exits when its parent closes
 * its standard input (the test ended, or died).
 *
 * Usage: node --conditions=@tessera/source --import tsx process-app.ts <redis|postgres> <prefix or table>
 * with TESSERA_TEST_SECRET set (every instance must be given the same one), or TESSERA_TEST_KEYS, a key
 * ring as JSON (`[{"id":"2026-06","secret":"..."}, ...]`, the first key signs).
 */
import { Redis } from 'ioredis'
import pg from 'pg'
import { cookie, createSessions, defineSession, type SessionStorage } from '../../../src'
import { postgresStorage } from '../../../src/postgres'
import { redisStorage } from '../../../src/redis'
import { startApp } from './http-app'
import { POSTGRES, REDIS_PORT } from './servers'

const [kind, place] = process.argv.slice(2)
const secret = process.env.TESSERA_TEST_SECRET
const keys = process.env.TESSERA_TEST_KEYS
if (!(secret || keys) || !place || (kind !== 'redis' && kind !== 'postgres')) {
  console.error('usage: process-app.ts <redis|postgres> <prefix or table>, with TESSERA_TEST_SECRET or _KEYS')
  process.exit(2)
}

const Counter = defineSession<{ count: number }>()('counter', { storage: 'server' })
const Login = defineSession<{ userId: string }>()('login', { storage: 'server', expiry: { idle: '10m' } })

let close: () => Promise<unknown>
let storage: SessionStorage
if (kind === 'redis') {
  const redis = new Redis({
    host: '127.0.0.1',
    port: REDIS_PORT,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
  })
  redis.on('error', () => {})
  await new Promise((resolve) => redis.once('ready', resolve))
  storage = redisStorage(redis, { prefix: place, timeout: 10_000 })
  close = () => redis.quit()
} else {
  const pool = new pg.Pool({ ...POSTGRES, max: 10 })
  storage = postgresStorage(pool, { table: place, sweepInterval: false, timeout: 10_000 })
  close = () => pool.end()
}

const engine = createSessions({
  ...(keys ? { keys: JSON.parse(keys) } : { secret: secret! }),
  sessions: [
    // Each failed compare-and-set means another increment, in this process or the other, succeeded:
    // with 100 concurrent increments in all, 100 attempts always suffice.
    cookie(Counter, { storage, maxRetries: 100 }),
    cookie(Login, { storage, owner: (login) => login.userId }),
  ],
})

const app = await startApp(engine, {
  'GET /pid': async () => process.pid,
  'POST /counter/reset': async (sessions) => {
    await sessions.set(Counter, { count: 0 })
    return sessions.id(Counter)
  },
  'POST /counter/increment': (sessions) =>
    sessions.update(Counter, (current) => ({ count: (current?.count ?? 0) + 1 })),
  'GET /counter': (sessions) => sessions.get(Counter),
  'POST /login': async (sessions, url) => {
    await sessions.regenerate(Login)
    await sessions.set(Login, { userId: url.searchParams.get('user')! })
    return sessions.id(Login)
  },
  'GET /me': async (sessions) => ({ user: await sessions.get(Login), pid: process.pid }),
  'POST /sign-out-everywhere': async (_, url) => engine.invalidateOwner(Login, url.searchParams.get('user')!),
})
console.log(`port ${new URL(app.url).port}`)

process.stdin.resume()
process.stdin.on('end', async () => {
  await app.close()
  await close()
  process.exit(0)
})
