import {
  cookie,
  createSessionEngine,
  defineSession,
  isSessionError,
  type SessionStorage,
} from '@tessera/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId, sleep } from './helpers/servers'

export interface ContractOptions {
  /** The storage refuses ids outside `SESSION_ID` itself (the server storages do; memory trusts the engine). */
  readonly checksIds?: boolean
  /**
   * The storage keeps an owner index (every shipped storage but the express-session adapter, whose
   * own tests check that it refuses owners). Default true.
   */
  readonly ownerIndex?: boolean
}

/** A fresh owner name per test, so tests never see each other's index entries. */
const newOwner = () => `user-${newId()}`

/**
 * The `SessionStorage` contract, one suite for every storage: missing, save, overwrite, invalidate,
 * TTL expiry, compare-and-set (null / matching / stale), owner index. `make` is called once per file.
 */
export function describeStorageContract(
  name: string,
  make: () => SessionStorage | Promise<SessionStorage>,
  options: ContractOptions = {},
): void {
  describe(`${name}: the SessionStorage contract`, () => {
    let storage: SessionStorage
    beforeAll(async () => {
      storage = await make()
    })

    it('reads a missing id as null', async () => {
      expect(await storage.read(newId())).toBeNull()
    })

    it('saves a value and reads it back at version 1, with its expiry', async () => {
      const id = newId()
      const before = Date.now()
      expect(await storage.write(id, '{"cart":[1,2]}', { ttl: 60_000 })).toBe(1)
      const stored = await storage.read(id)
      expect(stored?.data).toBe('{"cart":[1,2]}')
      expect(stored?.version).toBe(1)
      // The storage's clock (Redis, PostgreSQL) is this machine's; allow a second either way.
      expect(stored!.expiresAt).toBeGreaterThanOrEqual(before + 60_000 - 1000)
      expect(stored!.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000 + 1000)
    })

    it('keeps a ttl of 0 forever (expiresAt 0)', async () => {
      const id = newId()
      await storage.write(id, 'forever', { ttl: 0 })
      expect(await storage.read(id)).toEqual({ data: 'forever', version: 1, expiresAt: 0 })
    })

    it('keeps any text exactly: unicode, newlines, quotes, 200 kB', async () => {
      const samples = ['', 'line one\nline two\r\n', '{"é":"💥","q":"\\"x\\""}', 'x'.repeat(200_000)]
      for (const data of samples) {
        const id = newId()
        await storage.write(id, data, { ttl: 60_000 })
        expect((await storage.read(id))?.data).toBe(data)
      }
    })

    it('overwrites a value and counts the version up', async () => {
      const id = newId()
      await storage.write(id, 'one', { ttl: 60_000 })
      expect(await storage.write(id, 'two', { ttl: 60_000 })).toBe(2)
      expect(await storage.write(id, 'three', { ttl: 60_000 })).toBe(3)
      expect(await storage.read(id)).toMatchObject({ data: 'three', version: 3 })
    })

    it('invalidates an entry, and invalidating a missing one is no error', async () => {
      const id = newId()
      await storage.write(id, 'bye', { ttl: 60_000 })
      await storage.invalidate(id)
      expect(await storage.read(id)).toBeNull()
      await expect(storage.invalidate(newId())).resolves.toBeUndefined()
    })

    it('lets an entry expire after its ttl, and then treats it as absent', async () => {
      const id = newId()
      const keep = newId()
      await storage.write(id, 'short', { ttl: 150 })
      await storage.write(keep, 'long', { ttl: 60_000 })
      expect((await storage.read(id))?.data).toBe('short')
      await sleep(400)
      expect(await storage.read(id)).toBeNull()
      expect((await storage.read(keep))?.data).toBe('long')
      // Expired is absent for compare-and-set too: a create-only write succeeds and starts over.
      expect(await storage.write(id, 'again', { ttl: 60_000, expectedVersion: null })).toBe(1)
    })

    it('compare-and-set: null creates only when absent', async () => {
      const id = newId()
      expect(await storage.write(id, 'first', { ttl: 60_000, expectedVersion: null })).toBe(1)
      expect(await storage.write(id, 'second', { ttl: 60_000, expectedVersion: null })).toBeNull()
      expect(await storage.read(id)).toMatchObject({ data: 'first', version: 1 })
    })

    it('compare-and-set: a matching version writes, a stale one is refused and changes nothing', async () => {
      const id = newId()
      await storage.write(id, 'v1', { ttl: 60_000 })
      expect(await storage.write(id, 'v2', { ttl: 60_000, expectedVersion: 1 })).toBe(2)
      expect(await storage.write(id, 'stale', { ttl: 60_000, expectedVersion: 1 })).toBeNull()
      expect(await storage.read(id)).toMatchObject({ data: 'v2', version: 2 })
      // A version on a missing entry is a conflict too: a signed-out session is not written back.
      const gone = newId()
      expect(await storage.write(gone, 'ghost', { ttl: 60_000, expectedVersion: 1 })).toBeNull()
      expect(await storage.read(gone)).toBeNull()
    })

    it('compare-and-set: of 20 concurrent writers at one version, exactly one wins', async () => {
      const id = newId()
      await storage.write(id, 'start', { ttl: 60_000 })
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          storage.write(id, `writer ${i}`, { ttl: 60_000, expectedVersion: 1 }),
        ),
      )
      const winners = results.flatMap((version, i) => (version === null ? [] : [i]))
      expect(winners).toHaveLength(1)
      expect(results[winners[0]!]).toBe(2)
      expect(await storage.read(id)).toMatchObject({ data: `writer ${winners[0]}`, version: 2 })
    })

    if (options.ownerIndex !== false) describeOwnerIndex(name, () => storage)
    if (options.ownerIndex !== false) describeOwnerListing(name, () => storage)

    if (options.checksIds) {
      it('refuses ids outside SESSION_ID before touching anything', async () => {
        const bad = [
          '../../../etc/passwd',
          '..',
          'abc/defgh',
          'abc\\defgh',
          'short',
          '',
          'a'.repeat(129),
          'ab cdefgh',
          'abc.defgh',
        ]
        for (const id of bad) {
          for (const call of [
            () => storage.read(id),
            () => storage.write(id, 'x', { ttl: 1000 }),
            () => storage.invalidate(id),
          ]) {
            const error = await call().then(
              () => undefined,
              (e: unknown) => e,
            )
            expect(isSessionError(error, 'INVALID_VALUE'), `id ${JSON.stringify(id)}`).toBe(true)
            expect((error as Error).message).not.toContain(id || '\0')
          }
        }
      })
    }
  })
}

/** The owner-index part of the contract (sign out everywhere). */
function describeOwnerIndex(name: string, current: () => SessionStorage): void {
  it('owner index: ends every session of one owner and no other', async () => {
    const storage = current()
    if (!storage.invalidateOwner) throw new Error(`${name} has no owner index`)
    const [alice, bob] = [newOwner(), newOwner()]
    const [a1, a2, b1] = [newId(), newId(), newId()]
    await storage.write(a1, 'a1', { ttl: 60_000, owner: alice })
    await storage.write(a2, 'a2', { ttl: 0, owner: alice })
    await storage.write(b1, 'b1', { ttl: 60_000, owner: bob })
    expect(await storage.invalidateOwner(alice)).toBe(2)
    expect(await storage.read(a1)).toBeNull()
    expect(await storage.read(a2)).toBeNull()
    expect((await storage.read(b1))?.data).toBe('b1')
    expect(await storage.invalidateOwner(alice)).toBe(0)
    expect(await storage.invalidateOwner(newOwner())).toBe(0)
  })

  it('owner index: a write without an owner keeps the owner (a rolling renewal)', async () => {
    const storage = current()
    const owner = newOwner()
    const id = newId()
    await storage.write(id, 'mine', { ttl: 60_000, owner, expectedVersion: null })
    await storage.write(id, 'renewed', { ttl: 60_000, expectedVersion: 1 })
    expect(await storage.invalidateOwner!(owner)).toBe(1)
    expect(await storage.read(id)).toBeNull()
  })

  it('owner index: a session handed to another owner leaves the first one', async () => {
    const storage = current()
    const [first, second] = [newOwner(), newOwner()]
    const id = newId()
    await storage.write(id, 'x', { ttl: 60_000, owner: first })
    await storage.write(id, 'y', { ttl: 60_000, owner: second })
    expect(await storage.invalidateOwner!(first)).toBe(0)
    expect((await storage.read(id))?.data).toBe('y')
    expect(await storage.invalidateOwner!(second)).toBe(1)
  })

  it('owner index: invalidated and expired sessions are not counted', async () => {
    const storage = current()
    const owner = newOwner()
    const [gone, expiring, live] = [newId(), newId(), newId()]
    await storage.write(gone, 'g', { ttl: 60_000, owner })
    await storage.write(expiring, 'e', { ttl: 100, owner })
    await storage.write(live, 'l', { ttl: 60_000, owner })
    await storage.invalidate(gone)
    await sleep(300)
    expect(await storage.invalidateOwner!(owner)).toBe(1)
    expect(await storage.read(live)).toBeNull()
  })
}

/** Listing an owner's sessions (a devices page): `listOwner`, and the engine's management over it. */
function describeOwnerListing(name: string, current: () => SessionStorage): void {
  const listed = async (storage: SessionStorage, owner: string) => {
    if (!storage.listOwner) throw new Error(`${name} cannot list an owner's sessions`)
    const sessions = await storage.listOwner(owner)
    return [...sessions].sort((a, b) => a.data.localeCompare(b.data))
  }

  it('listing: lists the live sessions of one owner with their data, version and expiry, and no other', async () => {
    const storage = current()
    const [alice, bob] = [newOwner(), newOwner()]
    const [a1, a2, b1] = [newId(), newId(), newId()]
    const before = Date.now()
    await storage.write(a1, 'a1', { ttl: 60_000, owner: alice })
    await storage.write(a2, 'a2', { ttl: 0, owner: alice })
    await storage.write(a2, 'a2 again', { ttl: 0, expectedVersion: 1 })
    await storage.write(b1, 'b1', { ttl: 60_000, owner: bob })
    const sessions = await listed(storage, alice)
    expect(sessions.map(({ id, data, version }) => ({ id, data, version }))).toEqual([
      { id: a1, data: 'a1', version: 1 },
      { id: a2, data: 'a2 again', version: 2 },
    ])
    expect(sessions[0]!.expiresAt).toBeGreaterThanOrEqual(before + 60_000 - 1000)
    expect(sessions[1]!.expiresAt).toBe(0)
    expect(await listed(storage, newOwner())).toEqual([])
  })

  it('listing: never lists an expired, invalidated or handed-over session', async () => {
    const storage = current()
    const [owner, other] = [newOwner(), newOwner()]
    const [gone, expiring, moved, live] = [newId(), newId(), newId(), newId()]
    await storage.write(gone, 'gone', { ttl: 60_000, owner })
    await storage.write(expiring, 'expiring', { ttl: 100, owner })
    await storage.write(moved, 'moved', { ttl: 60_000, owner })
    await storage.write(moved, 'moved on', { ttl: 60_000, owner: other })
    await storage.write(live, 'live', { ttl: 60_000, owner })
    await storage.invalidate(gone)
    await sleep(300)
    expect((await listed(storage, owner)).map((one) => one.id)).toEqual([live])
    expect((await listed(storage, other)).map((one) => one.id)).toEqual([moved])
  })

  it("listing: the engine lists, reads, replaces and ends an owner's sessions by handle", async () => {
    const storage = current()
    const Login = defineSession<{ user: string; n: number }>()(`login${newId().slice(0, 6)}`, {
      storage: 'server',
    })
    const engine = createSessionEngine({
      secret: 'a contract secret of at least thirty-two bytes',
      sessions: [cookie(Login, { storage, owner: (login) => login.user })],
    })
    const owner = newOwner()
    const cookies: string[] = []
    for (const [n, device] of [
      [1, 'Laptop'],
      [2, 'Phone'],
    ] as const) {
      const appended: string[] = []
      const sessions = engine.open({
        requestHeader: () => undefined,
        appendHeader: (_, value) => void appended.push(value),
        setHeader: () => {},
        headersSent: () => false,
        isSecure: () => false,
      })
      await sessions.set(Login, { user: owner, n }, { metadata: { device } })
      sessions.commit()
      cookies.push(appended[0]!.slice(0, appended[0]!.indexOf(';')))
    }
    const devices = await engine.listSessions(Login, owner)
    expect(devices.map((one) => one.metadata.device).sort()).toEqual(['Laptop', 'Phone'])
    const phone = devices.find((one) => one.metadata.device === 'Phone')!
    expect(await engine.readSession(Login, owner, phone.handle)).toMatchObject({
      value: { user: owner, n: 2 },
    })
    expect(await engine.replaceSession(Login, owner, phone.handle, { user: owner, n: 20 })).toBe(true)
    expect(await engine.readSession(Login, owner, phone.handle)).toMatchObject({
      value: { user: owner, n: 20 },
    })
    expect(await engine.endSession(Login, newOwner(), phone.handle)).toBe(false)
    expect(await engine.endSession(Login, owner, phone.handle)).toBe(true)
    expect((await engine.listSessions(Login, owner)).map((one) => one.metadata.device)).toEqual(['Laptop'])
    // The ended device's cookie no longer opens a session; the other's still does.
    const read = async (cookieLine: string) => {
      const sessions = engine.open({
        requestHeader: (header) => (header === 'cookie' ? cookieLine : undefined),
        appendHeader: () => {},
        setHeader: () => {},
        headersSent: () => false,
        isSecure: () => false,
      })
      return sessions.get(Login)
    }
    expect(await read(cookies[1]!)).toBeNull()
    expect(await read(cookies[0]!)).toEqual({ user: owner, n: 1 })
  })
}
