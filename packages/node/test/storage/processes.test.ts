/**
 * The same app in two processes (two servers on two ports, as behind a load balancer without sticky
 * sessions), over Redis and over PostgreSQL, with a client alternating between them: a session
 * started on one is read on the other, compare-and-set holds across them (concurrent `update`s from
 * both lose nothing), and signing out everywhere on one ends the sessions the other started.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Reply, send, type TestApp } from './helpers/http-app'
import {
  POSTGRES,
  POSTGRES_PORT,
  REDIS_PORT,
  serverAvailable,
  settlesWithin,
  uniqueSuffix,
} from './helpers/servers'

const redisUp = await serverAvailable('Redis', REDIS_PORT)
const postgresUp = await serverAvailable('PostgreSQL', POSTGRES_PORT)
const APP = fileURLToPath(new URL('./helpers/process-app.ts', import.meta.url))

/** Starts one instance with a secret, or a key ring; resolves once it prints its port (bounded). */
async function startInstance(
  kind: string,
  place: string,
  secret: string | { id: string; secret: string }[],
): Promise<TestApp & { child: ChildProcess }> {
  const key =
    typeof secret === 'string'
      ? { TESSERA_TEST_SECRET: secret }
      : { TESSERA_TEST_KEYS: JSON.stringify(secret) }
  const child = spawn(
    process.execPath,
    ['--conditions=@tessera/source', '--import', 'tsx', APP, kind, place],
    {
      env: { ...process.env, ...key },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  const port = await settlesWithin(
    new Promise<string>((resolve, reject) => {
      let text = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        const match = /port (\d+)/.exec(text)
        if (match) resolve(match[1]!)
      })
      child.once('exit', (code) => reject(new Error(`the ${kind} app exited (${code})`)))
    }),
    30_000,
    `the ${kind} app`,
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async close() {
      child.stdin!.end() // the app closes its server and its client, then exits
      await settlesWithin(exited, 10_000, `the ${kind} app's exit`).catch(() => child.kill('SIGKILL'))
    },
  }
}

/** Runs the cross-process checks on two instances of the app sharing one storage. */
function describeTwoProcesses(kind: 'redis' | 'postgres', place: () => string): void {
  describe(`two processes over ${kind}`, () => {
    let apps: (TestApp & { child: ChildProcess })[] = []
    const secret = `the same secret on every instance ${uniqueSuffix()}`
    beforeAll(async () => {
      apps = await Promise.all([startInstance(kind, place(), secret), startInstance(kind, place(), secret)])
      const pids = await Promise.all(apps.map(async (app) => (await send(app, 'GET', '/pid')).body))
      expect(new Set(pids).size).toBe(2) // two processes, really
    }, 60_000)
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()))
    })
    /** The app that serves request number `n`: the client alternates. */
    const app = (n: number) => apps[n % 2]!
    const bounded = (n: number, method: string, path: string, cookieHeader?: string): Promise<Reply> =>
      settlesWithin(send(app(n), method, path, cookieHeader), 30_000, `${method} ${path}`)

    it('a session started on one process is read and changed on the other', async () => {
      const login = await bounded(0, 'POST', '/login?user=ada')
      expect(login.status).toBe(200)
      const me = await bounded(1, 'GET', '/me', login.cookie)
      expect(me.body.user).toEqual({ userId: 'ada' })
      expect(me.body.pid).not.toBe((await bounded(0, 'GET', '/me', login.cookie)).body.pid)
      const reset = await bounded(1, 'POST', '/counter/reset')
      for (let n = 0; n < 6; n++) {
        expect((await bounded(n, 'POST', '/counter/increment', reset.cookie)).body).toEqual({ count: n + 1 })
      }
      expect((await bounded(1, 'GET', '/counter', reset.cookie)).body).toEqual({ count: 6 })
    })

    it('compare-and-set across processes: 100 concurrent increments, half on each, end at 100', async () => {
      const start = await bounded(0, 'POST', '/counter/reset')
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, n) => bounded(n, 'POST', '/counter/increment', start.cookie)),
      )
      expect(replies.map((reply) => reply.status)).toEqual(Array(100).fill(200))
      const counts = replies.map((reply) => reply.body.count).sort((a, b) => a - b)
      expect(counts).toEqual(Array.from({ length: 100 }, (_, i) => i + 1)) // each saw a distinct value
      expect((await bounded(1, 'GET', '/counter', start.cookie)).body).toEqual({ count: 100 })
    }, 60_000)

    it('sign out everywhere on one process ends the sessions started on both', async () => {
      const user = `user-${uniqueSuffix()}`
      const laptop = await bounded(0, 'POST', `/login?user=${user}`)
      const phone = await bounded(1, 'POST', `/login?user=${user}`)
      const other = await bounded(0, 'POST', '/login?user=someone-else')
      expect((await bounded(1, 'POST', `/sign-out-everywhere?user=${user}`)).body).toBe(2)
      for (let n = 0; n < 2; n++) {
        expect((await bounded(n, 'GET', '/me', laptop.cookie)).body.user).toBeNull()
        expect((await bounded(n, 'GET', '/me', phone.cookie)).body.user).toBeNull()
        expect((await bounded(n, 'GET', '/me', other.cookie)).body.user).toEqual({ userId: 'someone-else' })
      }
    })
  })
}

describe.runIf(redisUp)('Redis', () => {
  const prefix = `tessera-test:${uniqueSuffix()}:processes:`
  afterAll(async () => {
    const redis = new Redis({ host: '127.0.0.1', port: REDIS_PORT })
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })
  describeTwoProcesses('redis', () => prefix)

  // docs/security.md's rotation, step 3 rolling out: one instance already signs with the new key, the
  // other still signs with the old one; both verify both, so users move between them unharmed.
  describe('a key rotation rolling across two instances', () => {
    const old = { id: 'old', secret: `old secret of at least 32 bytes ${uniqueSuffix()}` }
    const fresh = { id: 'new', secret: `new secret of at least 32 bytes ${uniqueSuffix()}` }
    let apps: TestApp[] = []
    beforeAll(async () => {
      apps = await Promise.all([
        startInstance('redis', `${prefix}rotation:`, [old, fresh]),
        startInstance('redis', `${prefix}rotation:`, [fresh, old]),
      ])
    }, 60_000)
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()))
    })

    it('a session signed by either instance is read by both; the old key is swapped for the new', async () => {
      const [stillOld, alreadyNew] = apps as [TestApp, TestApp]
      const keyOf = (cookieHeader: string | undefined) =>
        /^login=v1\.[a-z]+\.([^.]+)\./.exec(cookieHeader ?? '')?.[1]
      const onOld = await send(stillOld, 'POST', '/login?user=ada')
      const onNew = await send(alreadyNew, 'POST', '/login?user=bo')
      expect([keyOf(onOld.cookie), keyOf(onNew.cookie)]).toEqual(['old', 'new'])
      expect((await send(alreadyNew, 'GET', '/me', onOld.cookie)).body.user).toEqual({ userId: 'ada' })
      expect((await send(stillOld, 'GET', '/me', onNew.cookie)).body.user).toEqual({ userId: 'bo' })
      // The instance that signs with the new key re-issues an old-key token with it on the way.
      const moved = await send(alreadyNew, 'GET', '/me', onOld.cookie)
      expect(keyOf(moved.cookie)).toBe('new')
      expect((await send(stillOld, 'GET', '/me', moved.cookie)).body.user).toEqual({ userId: 'ada' })
    })
  })
})

describe.runIf(postgresUp)('PostgreSQL', () => {
  const schema = `tessera_test_${uniqueSuffix()}`
  const admin = new pg.Pool({ ...POSTGRES, max: 1 })
  beforeAll(async () => {
    await admin.query(`CREATE SCHEMA "${schema}"`)
  })
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await admin.end()
  })
  describeTwoProcesses('postgres', () => `${schema}.sessions`)
})
