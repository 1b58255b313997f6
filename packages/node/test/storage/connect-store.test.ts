import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { RedisStore } from 'connect-redis'
import session from 'express-session'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession, isSessionError, type SessionStorage } from '../../src'
import { type ConnectStore, connectStoreStorage } from '../../src/connect-store'
import { describeStorageContract } from './contract'
import { newId, REDIS_PORT, serverAvailable, settlesWithin, uniqueSuffix } from './helpers/servers'
import { describeLifecycle } from './lifecycle'

const redisUp = await serverAvailable('Redis', REDIS_PORT)
const { MemoryStore } = session

/** A store whose calls are recorded by method name. */
function recorded(store: ConnectStore): { store: ConnectStore; calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    store: {
      get(sid, callback) {
        calls.push('get')
        return store.get(sid, callback)
      },
      set(sid, value, callback) {
        calls.push('set')
        return store.set(sid, value, callback)
      },
      destroy(sid, callback) {
        calls.push('destroy')
        return store.destroy(sid, callback)
      },
    },
  }
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('connectStoreStorage on express-session MemoryStore', () => {
  describeStorageContract('connectStoreStorage (MemoryStore)', () => connectStoreStorage(new MemoryStore()), {
    checksIds: true,
    ownerIndex: false,
  })
  describeLifecycle('connectStoreStorage (MemoryStore)', () => ({
    storage: connectStoreStorage(new MemoryStore()),
    ownerIndex: false,
  }))

  it('hands the store an express-session session: the expiry in cookie.expires and originalMaxAge', async () => {
    const store = new MemoryStore()
    const storage = connectStoreStorage(store)
    const id = newId()
    const before = Date.now()
    await storage.write(id, '{"n":1}', { ttl: 60_000 })
    const stored = await new Promise<any>((resolve, reject) =>
      store.get(id, (error, value) => (error ? reject(error) : resolve(value))),
    )
    expect(stored.cookie.originalMaxAge).toBe(60_000)
    const expires = Date.parse(stored.cookie.expires)
    expect(expires).toBeGreaterThanOrEqual(before + 60_000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000)
    expect(stored.tessera).toEqual({ data: '{"n":1}', version: 1, expiresAt: expires })
    // No expiry: no cookie.expires, so the store's own default applies (MemoryStore: none).
    await storage.write(id, '{"n":2}', { ttl: 0 })
    const forever = await new Promise<any>((resolve) => store.get(id, (_, value) => resolve(value)))
    expect(forever.cookie).toEqual({ originalMaxAge: null, maxAge: null, expires: null })
  })

  it('costs one get per read, a get and a set per write, one destroy per invalidate', async () => {
    const { store, calls } = recorded(new MemoryStore())
    const storage = connectStoreStorage(store)
    const id = newId()
    await storage.read(id)
    expect(calls.splice(0)).toEqual(['get'])
    await storage.write(id, 'x', { ttl: 60_000, expectedVersion: null })
    expect(calls.splice(0)).toEqual(['get', 'set'])
    await storage.invalidate(id)
    expect(calls.splice(0)).toEqual(['destroy'])
  })

  it('has no compare-and-set across processes: two writers at one version both win, the last one stays', async () => {
    // Two processes are two adapters with their own queues over one store. Both read version 1
    // before either writes (the store holds every get until both arrived), as can happen at any time.
    const shared = new MemoryStore()
    let waiting: (() => void)[] = []
    const gated: ConnectStore = {
      get: (sid, callback) => {
        waiting.push(() => shared.get(sid, callback))
        if (waiting.length === 2) {
          for (const release of waiting) release()
          waiting = []
        }
      },
      set: (sid, value, callback) => shared.set(sid, value, callback),
      destroy: (sid, callback) => shared.destroy(sid, callback),
    }
    const id = newId()
    await connectStoreStorage(shared).write(id, 'start', { ttl: 60_000 })
    const [first, second] = [connectStoreStorage(gated), connectStoreStorage(gated)]
    const versions = await Promise.all([
      first.write(id, 'from the first process', { ttl: 60_000, expectedVersion: 1 }),
      second.write(id, 'from the second process', { ttl: 60_000, expectedVersion: 1 }),
    ])
    expect(versions).toEqual([2, 2]) // both "won": the store could not tell them apart
    expect(await connectStoreStorage(shared).read(id)).toMatchObject({
      data: 'from the second process',
      version: 2,
    })
  })

  it('refuses owners: a write with one and sign out everywhere are INVALID_OPERATION', async () => {
    const storage = connectStoreStorage(new MemoryStore())
    const error = await outcome(storage.write(newId(), 'x', { ttl: 60_000, owner: 'ada' }))
    expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
    expect((error as Error).message).toBe(
      'connect-store storage keeps no owner index: remove the owner option of this session',
    )
    expect(storage.invalidateOwner).toBeUndefined()
    const Login = defineSession<{ userId: string }>()('login', { storage: 'server' })
    const engine = createSessions({
      secret: 'connect-store-test-secret-of-32-bytes',
      sessions: [cookie(Login, { storage })],
    })
    const signOut = await outcome(engine.invalidateOwner(Login, 'ada'))
    expect(isSessionError(signOut, 'INVALID_OPERATION')).toBe(true)
    // No owner index, so no devices page: listing and acting on a listed session name what is missing.
    expect(storage.listOwner).toBeUndefined()
    const listing = await outcome(engine.listSessions(Login, 'ada'))
    expect(isSessionError(listing, 'INVALID_OPERATION')).toBe(true)
    expect((listing as Error).message).toContain('listOwner')
    const ending = await outcome(engine.endSession(Login, 'ada', 'a-handle'))
    expect(isSessionError(ending, 'INVALID_OPERATION')).toBe(true)
  })

  it("reads an express-session app's own session under the same id as absent", async () => {
    const store = new MemoryStore()
    const id = newId()
    await new Promise<void>((resolve) =>
      store.set(id, { cookie: { originalMaxAge: null, expires: null }, user: 'x' } as never, () => resolve()),
    )
    expect(await connectStoreStorage(store).read(id)).toBeNull()
  })

  it('a store that fails or never calls back: STORAGE_UNAVAILABLE, nothing leaked, within the timeout', async () => {
    const id = newId()
    const failing: ConnectStore = {
      get: (_, callback) => callback(Object.assign(new Error(`cannot read ${id}`), { code: 'ECONNRESET' })),
      set: async () => {
        throw new Error(`cannot write ${id}`) // a promise-returning store that rejects without calling back
      },
      destroy: () => {},
    }
    const storage = connectStoreStorage(failing, { timeout: 100 })
    const errors = await Promise.all(
      [
        storage.read(id),
        connectStoreStorage({ ...failing, get: (_, callback) => callback(null) }, { timeout: 100 }).write(
          id,
          'secret value',
          { ttl: 1000 },
        ),
        storage.invalidate(id),
      ].map((call) => settlesWithin(outcome(call), 2000, 'a store call')),
    )
    expect(errors.map((error) => isSessionError(error, 'STORAGE_UNAVAILABLE'))).toEqual([true, true, true])
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'connect-store storage: read failed (ECONNRESET)',
      'connect-store storage: write failed (Error)',
      'connect-store storage: invalidate got no answer within 100 ms',
    ])
  })

  it('refuses what is not a store, and bad options', () => {
    expect(() => connectStoreStorage({} as ConnectStore)).toThrow(/get, set and destroy/)
    expect(() => connectStoreStorage(new MemoryStore(), { timeout: 0 })).toThrow(/timeout/)
  })

  it('imports nothing at run time but core and its own helpers (no express-session)', () => {
    const folder = fileURLToPath(new URL('../../src/connect-store/', import.meta.url))
    for (const file of readdirSync(folder)) {
      const source = readFileSync(folder + file, 'utf8')
      const imports = [...source.matchAll(/^import (?!type )[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1])
      expect(
        imports.every(
          (from) =>
            from === '@tessera/core' ||
            from === '@tessera/core/internal' ||
            from!.startsWith('../storage-support/') ||
            from!.startsWith('./'),
        ),
      ).toBe(true)
    }
  })
})

describe.runIf(redisUp)('connectStoreStorage on connect-redis (Redis 127.0.0.1:6379)', () => {
  const prefix = `tessera-test:${uniqueSuffix()}:connect-redis:`
  const client = createClient({ socket: { host: '127.0.0.1', port: REDIS_PORT } })
  client.on('error', () => {})
  const store = (name: string): SessionStorage =>
    connectStoreStorage(new RedisStore({ client, prefix: `${prefix}${name}:` }))
  beforeAll(async () => {
    await client.connect()
  })
  afterAll(async () => {
    const keys = await client.keys(`${prefix}*`)
    if (keys.length > 0) await client.del(keys)
    expect(await client.keys(`${prefix}*`)).toEqual([])
    client.destroy()
  })

  describeStorageContract('connectStoreStorage (connect-redis)', () => store('contract'), {
    checksIds: true,
    ownerIndex: false,
  })
  describeLifecycle('connectStoreStorage (connect-redis)', () => ({
    storage: store('lifecycle'),
    ownerIndex: false,
  }))

  it("maps the TTL onto connect-redis's expiry; without one, its default TTL applies", async () => {
    const storage = store('ttl')
    const [id, forever] = [newId(), newId()]
    await storage.write(id, 'x', { ttl: 60_000 })
    const seconds = await client.ttl(`${prefix}ttl:${id}`)
    expect(seconds).toBeGreaterThan(55)
    expect(seconds).toBeLessThanOrEqual(60)
    await storage.write(forever, 'y', { ttl: 0 })
    expect(await client.ttl(`${prefix}ttl:${forever}`)).toBeGreaterThan(86_000) // connect-redis: one day
    expect(await storage.read(forever)).toMatchObject({ data: 'y', expiresAt: 0 })
  })
})
