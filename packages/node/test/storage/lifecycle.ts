import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cookie,
  createSessions,
  defineSession,
  isSessionError,
  type SessionEngine,
  type SessionStorage,
} from '../../src'
import { countingStorage } from './helpers/counting'
import { type Reply, send, startApp, type TestApp } from './helpers/http-app'

const Counter = defineSession<{ count: number }>()('counter', { storage: 'server' })
const Login = defineSession<{ userId: string }>()('login', { storage: 'server', expiry: { idle: '10m' } })

export interface LifecycleFixture {
  readonly storage: SessionStorage
  /**
   * Round trips to the backing service so far, counted by a wrapper around its client (Redis
   * commands, PostgreSQL statements). Absent for in-process storages, where the storage calls are the count.
   */
  readonly roundTrips?: () => number
  /**
   * Round trips a write or an invalidate of a session with an owner costs beyond its own: 1 on Redis
   * Cluster, where the owner's index lives on another node. 0 when absent.
   */
  readonly indexRoundTrips?: number
  /**
   * The storage keeps an owner index. Default true; false (the express-session adapter): the login
   * session has no `owner`, and signing out everywhere must fail with `INVALID_OPERATION`.
   */
  readonly ownerIndex?: boolean
}

/** The clearing Set-Cookie of a session. */
const clears = (reply: Reply, name: string) => reply.setCookies.some((line) => line.startsWith(`${name}=;`))

/**
 * The session lifecycle through `createSessions` and the node:http adapter, over real HTTP, on one storage: no lost updates,
 * regenerate, clear, sign out everywhere, rolling expiry, and storage round trips per request.
 */
export function describeLifecycle(
  name: string,
  make: () => LifecycleFixture | Promise<LifecycleFixture>,
): void {
  describe(`${name}: session lifecycle over HTTP`, () => {
    let app: TestApp
    let engine: SessionEngine
    let storage: SessionStorage
    let counted: ReturnType<typeof countingStorage>
    let roundTrips: () => number
    let indexRoundTrips = 0
    let ownerIndex = true
    /** Seconds added to the engine's clock, to walk through idle timeouts without waiting. */
    let skew = 0

    beforeAll(async () => {
      const fixture = await make()
      storage = fixture.storage
      counted = countingStorage(storage)
      const calls = counted.calls
      roundTrips = fixture.roundTrips ?? (() => calls.reads + calls.writes + calls.invalidates)
      indexRoundTrips = fixture.indexRoundTrips ?? 0
      ownerIndex = fixture.ownerIndex ?? true
      engine = createSessions({
        secret: 'lifecycle-test-secret-of-32-bytes!!',
        now: () => Date.now() + skew * 1000,
        sessions: [
          // Every failed compare-and-set means another increment succeeded, so with 100 concurrent
          // increments a request fails at most 99 times: 100 attempts always suffice.
          cookie(Counter, { storage: counted.storage, maxRetries: 100 }),
          cookie(Login, {
            storage: counted.storage,
            ...(ownerIndex ? { owner: (value: { userId: string }) => value.userId } : {}),
          }),
        ],
      })
      app = await startApp(engine, {
        'GET /nothing': async () => 'ok',
        'GET /counter': (sessions) => sessions.get(Counter),
        'POST /counter/reset': async (sessions) => {
          await sessions.set(Counter, { count: 0 })
          return sessions.id(Counter)
        },
        'POST /counter/increment': (sessions) =>
          sessions.update(Counter, (current) => ({ count: (current?.count ?? 0) + 1 })),
        'POST /counter/same': async (sessions) => {
          const current = await sessions.get(Counter)
          if (current) await sessions.set(Counter, { ...current })
          return current
        },
        'POST /visit': async (sessions) => {
          await sessions.set(Login, { userId: 'guest' })
          return sessions.id(Login)
        },
        'POST /login': async (sessions, url) => {
          await sessions.regenerate(Login)
          await sessions.set(Login, { userId: url.searchParams.get('user')! })
          return sessions.id(Login)
        },
        'GET /me': async (sessions) => ({ user: await sessions.get(Login), id: await sessions.id(Login) }),
        'POST /logout': async (sessions) => {
          await sessions.clear(Login)
          return 'bye'
        },
      })
    })

    afterAll(async () => {
      await app?.close()
    })

    it('100 concurrent increments of one counter end at 100 (compare-and-set, update retries)', async () => {
      const start = await send(app, 'POST', '/counter/reset')
      expect(start.status).toBe(200)
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => send(app, 'POST', '/counter/increment', start.cookie)),
      )
      expect(replies.map((reply) => reply.status)).toEqual(Array(100).fill(200))
      const counts = replies.map((reply) => reply.body.count).sort((a, b) => a - b)
      expect(counts).toEqual(Array.from({ length: 100 }, (_, i) => i + 1)) // each saw a distinct value
      expect((await send(app, 'GET', '/counter', start.cookie)).body).toEqual({ count: 100 })
      expect((await storage.read(start.body))?.version).toBe(101)
    }, 60_000) // bounded; contention makes it the slowest test (thousands of retried writes on a directory)

    it('regenerate moves the session to a new id; the old id reads as absent', async () => {
      const visit = await send(app, 'POST', '/visit')
      const oldId: string = visit.body
      expect((await storage.read(oldId))?.data).toContain('guest')
      const login = await send(app, 'POST', '/login?user=ada', visit.cookie)
      const newId: string = login.body
      expect(newId).not.toBe(oldId)
      expect(login.cookie).toBeDefined()
      expect(login.cookie).not.toBe(visit.cookie)
      expect(await storage.read(oldId)).toBeNull()
      expect((await send(app, 'GET', '/me', login.cookie)).body).toEqual({
        user: { userId: 'ada' },
        id: newId,
      })
      const stale = await send(app, 'GET', '/me', visit.cookie)
      expect(stale.body).toEqual({ user: null, id: null })
      expect(clears(stale, 'login')).toBe(true)
    })

    it('clear invalidates the stored session and clears the cookie', async () => {
      const login = await send(app, 'POST', '/login?user=bo')
      const id: string = login.body
      const logout = await send(app, 'POST', '/logout', login.cookie)
      expect(clears(logout, 'login')).toBe(true)
      expect(await storage.read(id)).toBeNull()
      expect((await send(app, 'GET', '/me', login.cookie)).body.user).toBeNull()
    })

    it('signs a user out everywhere, and nobody else (or refuses to, without an owner index)', async () => {
      if (!ownerIndex) {
        const error = await engine.invalidateOwner(Login, 'anyone').catch((e: unknown) => e)
        expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
        return
      }
      const user = `user-${Math.random().toString(36).slice(2)}`
      const laptop = await send(app, 'POST', `/login?user=${user}`)
      const phone = await send(app, 'POST', `/login?user=${user}`)
      const other = await send(app, 'POST', '/login?user=someone-else')
      expect((await send(app, 'GET', '/me', phone.cookie)).body.user).toEqual({ userId: user })
      expect(await engine.invalidateOwner(Login, user)).toBe(2)
      expect((await send(app, 'GET', '/me', laptop.cookie)).body.user).toBeNull()
      expect((await send(app, 'GET', '/me', phone.cookie)).body.user).toBeNull()
      expect((await send(app, 'GET', '/me', other.cookie)).body.user).toEqual({ userId: 'someone-else' })
    })

    it('rolling expiry: renewed past half the idle time, not before; an unrenewed token expires', async () => {
      skew = 0
      try {
        const login = await send(app, 'POST', '/login?user=roller')
        counted.reset()
        skew = 200 // 200 s of the 600 s idle time: not yet worth a write
        const early = await send(app, 'GET', '/me', login.cookie)
        expect(early.body.user).toEqual({ userId: 'roller' })
        expect(early.setCookies).toEqual([])
        expect(counted.calls.writes).toBe(0)
        skew = 400 // past half: the stored entry and the token are renewed for another 600 s
        const late = await send(app, 'GET', '/me', login.cookie)
        expect(late.body.user).toEqual({ userId: 'roller' })
        expect(late.cookie).toBeDefined()
        expect(late.cookie).not.toBe(login.cookie)
        expect(counted.calls.writes).toBe(1)
        expect(counted.calls.writeOptions[0]?.ttl).toBe(600_000)
        skew = 700 // the first token ended at 600 s; the renewed one lives until 1000 s
        expect((await send(app, 'GET', '/me', login.cookie)).body.user).toBeNull()
        expect((await send(app, 'GET', '/me', late.cookie)).body.user).toEqual({ userId: 'roller' })
      } finally {
        skew = 0
      }
    })

    it('round trips per request: untouched 0, read-only 1, unchanged set 1, changed 2, clear 1, login 4', async () => {
      const start = await send(app, 'POST', '/counter/reset')
      await send(app, 'POST', '/counter/increment', start.cookie) // warm: scripts loaded, pool connected
      const measure = async (method: string, path: string, cookieHeader = start.cookie) => {
        counted.reset()
        const before = roundTrips()
        const reply = await send(app, method, path, cookieHeader)
        expect(reply.status).toBe(200)
        const { reads, writes, invalidates } = counted.calls
        return { reads, writes, invalidates, roundTrips: roundTrips() - before }
      }
      /** `owned`: how many of the writes and invalidates concern a session with an owner. */
      const calls = (reads: number, writes: number, invalidates = 0, owned = 0) => ({
        reads,
        writes,
        invalidates,
        roundTrips: reads + writes + invalidates + owned * indexRoundTrips,
      })
      expect(await measure('GET', '/nothing')).toEqual(calls(0, 0))
      expect(await measure('GET', '/counter')).toEqual(calls(1, 0))
      expect(await measure('POST', '/counter/same')).toEqual(calls(1, 0))
      expect(await measure('POST', '/counter/increment')).toEqual(calls(1, 1))
      // Login over a visitor's session: read it, store it under a new id, end the old id, write the
      // user. All three concern sessions with an owner (the visitor is 'guest').
      const visit = await send(app, 'POST', '/visit')
      expect(await measure('POST', '/login?user=counted', visit.cookie)).toEqual(calls(1, 2, 1, 3))
      const login = await send(app, 'POST', '/login?user=counted-again')
      expect(await measure('POST', '/logout', login.cookie)).toEqual(calls(0, 0, 1, 1))
    })
  })
}
