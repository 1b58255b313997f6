import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { localStorageStorage } from '../src/offline/local-storage-storage'

/** Web Storage over a Map, standing in for a page's localStorage. */
class MapStorage {
  readonly items = new Map<string, string>()
  getItem = (key: string) => this.items.get(key) ?? null
  setItem = (key: string, value: string) => void this.items.set(key, String(value))
  removeItem = (key: string) => void this.items.delete(key)
}

let store: MapStorage
let now = 1_000_000

beforeEach(() => {
  store = new MapStorage()
  Object.defineProperty(globalThis, 'localStorage', { value: store, configurable: true })
})
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'localStorage')
})

describe('the offline mode localStorage storage', () => {
  const storage = () => localStorageStorage('t:', () => now)

  it('writes with compare-and-set and reads back', async () => {
    const s = storage()
    expect(await s.write('id-00000001', 'one', { ttl: 0, expectedVersion: null })).toBe(1)
    expect(await s.write('id-00000001', 'again', { ttl: 0, expectedVersion: null })).toBeNull()
    expect(await s.write('id-00000001', 'two', { ttl: 0, expectedVersion: 1 })).toBe(2)
    expect(await s.write('id-00000001', 'stale', { ttl: 0, expectedVersion: 1 })).toBeNull()
    expect(await s.read('id-00000001')).toEqual({ data: 'two', version: 2, expiresAt: 0 })
    // Another tab's instance sees the same entries.
    expect(await storage().read('id-00000001')).toMatchObject({ data: 'two' })
  })

  it('expires entries by their TTL and forgets them', async () => {
    const s = storage()
    await s.write('id-00000002', 'soon', { ttl: 5000 })
    now += 4999
    expect(await s.read('id-00000002')).toMatchObject({ data: 'soon', expiresAt: 1_005_000 })
    now += 1
    expect(await s.read('id-00000002')).toBeNull()
    expect(store.items.has('t:id:id-00000002')).toBe(false)
  })

  it('ends every live session of an owner, and only those', async () => {
    const s = storage()
    await s.write('ada-laptop', 'a', { ttl: 0, owner: 'ada' })
    await s.write('ada-phone1', 'b', { ttl: 0, owner: 'ada' })
    await s.write('ada-tablet', 'c', { ttl: 10, owner: 'ada' })
    await s.write('grace-desk', 'd', { ttl: 0, owner: 'grace' })
    now += 20
    expect(await s.invalidateOwner!('ada')).toBe(2)
    expect(await s.read('ada-laptop')).toBeNull()
    expect(await s.read('ada-phone1')).toBeNull()
    expect(await s.read('grace-desk')).toMatchObject({ data: 'd' })
    expect(await s.invalidateOwner!('ada')).toBe(0)
  })

  it('lists the live sessions of an owner (the Devices panel offline), never an expired or moved one', async () => {
    const s = storage()
    await s.write('ada-laptop', 'a', { ttl: 0, owner: 'ada' })
    await s.write('ada-tablet', 'c', { ttl: 10, owner: 'ada' })
    await s.write('ada-moved1', 'm', { ttl: 0, owner: 'ada' })
    await s.write('ada-moved1', 'n', { ttl: 0, owner: 'grace' })
    now += 20
    expect(await s.listOwner!('ada')).toEqual([{ id: 'ada-laptop', data: 'a', version: 1, expiresAt: 0 }])
    expect((await s.listOwner!('grace')).map((one) => one.id)).toEqual(['ada-moved1'])
    expect(await s.listOwner!('nobody')).toEqual([])
  })

  it('moves an entry to its new owner, and invalidates one id', async () => {
    const s = storage()
    await s.write('shared-id1', 'x', { ttl: 0, owner: 'ada' })
    await s.write('shared-id1', 'y', { ttl: 0, owner: 'grace' })
    expect(await s.invalidateOwner!('ada')).toBe(0)
    expect(await s.read('shared-id1')).toMatchObject({ data: 'y', version: 2 })
    await s.invalidate('shared-id1')
    expect(await s.read('shared-id1')).toBeNull()
    expect(await s.invalidateOwner!('grace')).toBe(0)
    expect([...store.items.keys()]).toEqual([])
  })
})
