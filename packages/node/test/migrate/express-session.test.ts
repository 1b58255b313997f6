import { RedisStore } from 'connect-redis'
import express from 'express'
import session from 'express-session'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectStore } from '../../src/connect-store'
import { expressSessionCookie } from '../../src/migrate'
import { REDIS_PORT, serverAvailable, uniqueSuffix } from '../storage/helpers/servers'
import { isCleared, Login, listen, migratingEngine, pair, type Running, request, tesseraApp } from './apps'

const OLD_SECRET = 'the secret the express-session app signed with'
const redisUp = await serverAvailable('Redis', REDIS_PORT)

/** The app before tessera: express-session on `store`; POST /login signs user u1 in. */
async function expressSessionApp(store: session.Store, options: Partial<session.SessionOptions> = {}) {
  const app = express()
  app.use(session({ secret: OLD_SECRET, store, resave: false, saveUninitialized: false, ...options }))
  app.post('/login', (req, res) => {
    Object.assign(req.session, { userId: 'u1', theme: 'dark' })
    res.json('ok')
  })
  const running = await listen(app.listen(0, '127.0.0.1'))
  return running
}

/** Signs in on the express-session app and gives the connect.sid pair the browser holds. */
async function signIn(store: session.Store, options: Partial<session.SessionOptions> = {}): Promise<string> {
  const legacy = await expressSessionApp(store, options)
  try {
    const answer = await request(`${legacy.url}/login`, '', 'POST')
    const line = answer.setCookies.get(options.name ?? 'connect.sid')
    expect(line).toMatch(/^connect\.sid=s%3A|^[^=]+=s%3A/)
    return pair(line)
  } finally {
    await legacy.close()
  }
}

const storeGet = (store: ConnectStore, sid: string) =>
  new Promise<unknown>((resolve, reject) =>
    store.get(sid, (error, value) => (error ? reject(error) : resolve(value))),
  )

/** The session id inside a signed connect.sid pair. */
const sidOf = (cookiePair: string) => /s:([^.]+)\./.exec(decodeURIComponent(cookiePair))![1]!

const toLogin = (old: { userId?: string }) => (old.userId ? { userId: old.userId } : null)

let tessera: Running | undefined
afterEach(async () => {
  await tessera?.close()
  tessera = undefined
})

describe('expressSessionCookie: a real express-session cookie taken over', () => {
  it('re-issues the session as a tessera cookie, clears connect.sid and destroys the store entry', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    const sid = sidOf(connectSid)
    expect(await storeGet(store, sid)).toMatchObject({ userId: 'u1' })
    tessera = await tesseraApp(
      migratingEngine([expressSessionCookie(Login, { store, secret: OLD_SECRET, from: toLogin })]),
    )

    const first = await request(`${tessera.url}/me`, connectSid)
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ userId: 'u1' })
    expect(first.setCookies.get('login')).toMatch(/^login=v1\./)
    expect(isCleared(first.setCookies.get('connect.sid'))).toBe(true)
    expect(first.setCookies.get('connect.sid')).toContain('Path=/')
    expect(await storeGet(store, sid)).toBeUndefined()

    // The browser now sends the tessera cookie only.
    const second = await request(`${tessera.url}/me`, pair(first.setCookies.get('login')))
    expect(second.body).toEqual({ userId: 'u1' })
    expect(second.setCookies.has('connect.sid')).toBe(false)

    // The old cookie replayed after the take-over names a destroyed session: absent, cleared again.
    const replay = await request(`${tessera.url}/me`, connectSid)
    expect(replay.body).toBeNull()
    expect(replay.setCookies.has('login')).toBe(false)
    expect(isCleared(replay.setCookies.get('connect.sid'))).toBe(true)
  })

  it('keeps the store entry with destroy: false, and clears the cookie with its configured path and domain', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store, { name: 'app.sid' })
    const source = expressSessionCookie(Login, {
      store,
      secret: OLD_SECRET,
      name: 'app.sid',
      cookie: { path: '/app', domain: 'example.test' },
      destroy: false,
      from: toLogin,
    })
    tessera = await tesseraApp(migratingEngine([source]))
    const first = await request(`${tessera.url}/me`, connectSid)
    expect(first.body).toEqual({ userId: 'u1' })
    const cleared = first.setCookies.get('app.sid')
    expect(isCleared(cleared)).toBe(true)
    expect(cleared).toContain('Path=/app')
    expect(cleared).toContain('Domain=example.test')
    expect(await storeGet(store, sidOf(connectSid))).toMatchObject({ userId: 'u1' })
  })

  it('verifies with any secret of a rotation, and not with another secret', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    const rotated = expressSessionCookie(Login, {
      store,
      secret: ['the new secret', OLD_SECRET],
      from: toLogin,
    })
    tessera = await tesseraApp(migratingEngine([rotated]))
    expect((await request(`${tessera.url}/me`, connectSid)).body).toEqual({ userId: 'u1' })
    await tessera.close()

    const other = await signIn(store)
    const wrong = expressSessionCookie(Login, {
      store,
      secret: 'not the secret it was signed with',
      from: toLogin,
    })
    tessera = await tesseraApp(migratingEngine([wrong]))
    const answer = await request(`${tessera.url}/me`, other)
    expect(answer.status).toBe(200)
    expect(answer.body).toBeNull()
    expect(answer.setCookies.has('login')).toBe(false)
    expect(isCleared(answer.setCookies.get('connect.sid'))).toBe(true)
    // An unverified cookie names nothing tessera may end: the entry stays.
    expect(await storeGet(store, sidOf(other))).toMatchObject({ userId: 'u1' })
  })

  it('reads a tampered cookie as absent, and clears it', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    const source = expressSessionCookie(Login, { store, secret: OLD_SECRET, from: toLogin })
    tessera = await tesseraApp(migratingEngine([source]))
    // Another session id under the same signature, and the same id under a changed signature.
    const [name, value] = connectSid.split('=') as [string, string]
    const otherId = `${name}=${value.replace('s%3A', 's%3AX')}`
    const last = value.at(-1) === 'A' ? 'B' : 'A'
    const otherTag = `${name}=${value.slice(0, -1)}${last}`
    for (const forged of [otherId, otherTag, `${name}=${sidOf(connectSid)}`, `${name}=%E0%A4%A`]) {
      const answer = await request(`${tessera.url}/me`, forged)
      expect(answer.status, forged).toBe(200)
      expect(answer.body).toBeNull()
      expect(isCleared(answer.setCookies.get('connect.sid'))).toBe(true)
    }
  })

  it('reads an expired express-session session as absent (MemoryStore, and a store that keeps it)', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store, { cookie: { maxAge: 30 } })
    await new Promise((resolve) => setTimeout(resolve, 60))
    const stale = await storeGet(store, sidOf(connectSid))
    // A store that does not drop expired entries: the expiry in cookie.expires still counts.
    const keeping: ConnectStore = {
      get: (_sid, callback) =>
        callback(null, { userId: 'u1', cookie: { expires: new Date(Date.now() - 1000).toISOString() } }),
      set: (_sid, _value, callback) => callback?.(),
      destroy: (_sid, callback) => callback?.(),
    }
    expect(stale).toBeUndefined()
    for (const source of [store, keeping]) {
      tessera = await tesseraApp(
        migratingEngine([expressSessionCookie(Login, { store: source, secret: OLD_SECRET, from: toLogin })]),
      )
      const answer = await request(`${tessera.url}/me`, connectSid)
      expect(answer.body).toBeNull()
      expect(isCleared(answer.setCookies.get('connect.sid'))).toBe(true)
      await tessera.close()
      tessera = undefined
    }
  })

  it('answers 503 STORAGE_UNAVAILABLE when the store fails or does not answer, and keeps the legacy cookie', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    const failing: ConnectStore = {
      get: (_sid, callback) =>
        callback(Object.assign(new Error('connect ECONNREFUSED s:secret-sid'), { code: 'ECONNREFUSED' })),
      set: (_sid, _value, callback) => callback?.(),
      destroy: (_sid, callback) => callback?.(),
    }
    const silent: ConnectStore = { get: () => undefined, set: () => undefined, destroy: () => undefined }
    for (const broken of [failing, silent]) {
      tessera = await tesseraApp(
        migratingEngine([
          expressSessionCookie(Login, {
            store: broken,
            secret: OLD_SECRET,
            from: toLogin,
            timeout: 50,
          }),
        ]),
      )
      const answer = await request(`${tessera.url}/me`, connectSid)
      expect(answer.status).toBe(503)
      expect(JSON.stringify(answer.body)).not.toContain(sidOf(connectSid))
      expect(answer.setCookies.has('connect.sid')).toBe(false)
      expect(answer.setCookies.has('login')).toBe(false)
      await tessera.close()
      tessera = undefined
    }
  })

  it('answers 500 INVALID_VALUE when from maps to a value the schema refuses, and keeps the legacy cookie', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    const source = expressSessionCookie(Login, {
      store,
      secret: OLD_SECRET,
      from: () => ({ userId: '' }),
    })
    tessera = await tesseraApp(migratingEngine([source]))
    const answer = await request(`${tessera.url}/me`, connectSid)
    expect(answer.status).toBe(500)
    expect(answer.setCookies.has('connect.sid')).toBe(false)
    expect(await storeGet(store, sidOf(connectSid))).toMatchObject({ userId: 'u1' })
  })

  it('drops a session that from maps to null', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    tessera = await tesseraApp(
      migratingEngine([expressSessionCookie(Login, { store, secret: OLD_SECRET, from: () => null })]),
    )
    const answer = await request(`${tessera.url}/me`, connectSid)
    expect(answer.body).toBeNull()
    expect(answer.setCookies.has('login')).toBe(false)
    expect(isCleared(answer.setCookies.get('connect.sid'))).toBe(true)
  })

  it('ends the legacy session on sign-out (clear) and on a fresh set, without taking it over', async () => {
    const store = new session.MemoryStore()
    tessera = await tesseraApp(
      migratingEngine([expressSessionCookie(Login, { store, secret: OLD_SECRET, from: toLogin })]),
    )
    for (const method of ['DELETE', 'PUT']) {
      const connectSid = await signIn(store)
      const answer = await request(`${tessera.url}/me`, connectSid, method)
      expect(answer.status).toBe(200)
      expect(isCleared(answer.setCookies.get('connect.sid'))).toBe(true)
      expect(await storeGet(store, sidOf(connectSid))).toBeUndefined()
      if (method === 'PUT') expect(answer.setCookies.get('login')).toMatch(/^login=v1\./)
    }
  })

  it('keeps the tessera session beside a legacy cookie, and clears the legacy one', async () => {
    const store = new session.MemoryStore()
    tessera = await tesseraApp(
      migratingEngine([expressSessionCookie(Login, { store, secret: OLD_SECRET, from: toLogin })]),
    )
    const fresh = pair((await request(`${tessera.url}/me`, '', 'PUT')).setCookies.get('login'))
    const connectSid = await signIn(store)
    const answer = await request(`${tessera.url}/me`, `${fresh}; ${connectSid}`)
    expect(answer.body).toEqual({ userId: 'fresh' })
    expect(isCleared(answer.setCookies.get('connect.sid'))).toBe(true)
    expect(answer.setCookies.has('login')).toBe(false)
  })

  it('reads no legacy cookie once until has passed', async () => {
    const store = new session.MemoryStore()
    const connectSid = await signIn(store)
    const source = expressSessionCookie(Login, { store, secret: OLD_SECRET, from: toLogin })
    tessera = await tesseraApp(migratingEngine([source], new Date(Date.now() - 1)))
    const answer = await request(`${tessera.url}/me`, connectSid)
    expect(answer.body).toBeNull()
    expect(answer.setCookies.size).toBe(0)
    expect(await storeGet(store, sidOf(connectSid))).toMatchObject({ userId: 'u1' })
  })
})

describe.skipIf(!redisUp)('expressSessionCookie on connect-redis', () => {
  const client = createClient({ url: `redis://127.0.0.1:${REDIS_PORT}` })
  beforeAll(async () => {
    await client.connect()
  })
  afterAll(async () => {
    await client.quit()
  })

  it('takes over a session express-session wrote to Redis, and deletes its key', async () => {
    const prefix = `tessera-migrate-${uniqueSuffix()}:`
    const store = new RedisStore({ client, prefix })
    const connectSid = await signIn(store)
    const key = `${prefix}${sidOf(connectSid)}`
    expect(await client.exists(key)).toBe(1)
    tessera = await tesseraApp(
      migratingEngine([expressSessionCookie(Login, { store, secret: OLD_SECRET, from: toLogin })]),
    )
    const first = await request(`${tessera.url}/me`, connectSid)
    expect(first.body).toEqual({ userId: 'u1' })
    expect(isCleared(first.setCookies.get('connect.sid'))).toBe(true)
    expect(await client.exists(key)).toBe(0)
    const second = await request(`${tessera.url}/me`, pair(first.setCookies.get('login')))
    expect(second.body).toEqual({ userId: 'u1' })
  })
})
