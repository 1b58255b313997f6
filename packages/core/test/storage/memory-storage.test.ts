import { describe, expect, it } from 'vitest'
import { isSessionError, memoryStorage } from '../../src'

function clock(start = 1_000_000) {
  let ms = start
  return {
    now: () => ms,
    advance(by: number) {
      ms += by
    },
  }
}

describe('memoryStorage', () => {
  it('reads back what it wrote, with a version starting at 1 and an expiry', async () => {
    const time = clock()
    const storage = memoryStorage({ now: time.now })
    expect(await storage.read('abcdefgh')).toBeNull()
    expect(await storage.write('abcdefgh', 'data', { ttl: 5000 })).toBe(1)
    expect(await storage.read('abcdefgh')).toEqual({ data: 'data', version: 1, expiresAt: 1_005_000 })
    expect(await storage.write('abcdefgh', 'data 2', { ttl: 0 })).toBe(2)
    expect(await storage.read('abcdefgh')).toEqual({ data: 'data 2', version: 2, expiresAt: 0 })
    expect(storage.size).toBe(1)
  })

  it('expires entries at their TTL by the injected clock; ttl 0 never expires', async () => {
    const time = clock()
    const storage = memoryStorage({ now: time.now })
    await storage.write('short', 'a', { ttl: 1000 })
    await storage.write('forever', 'b', { ttl: 0 })
    time.advance(999)
    expect(await storage.read('short')).not.toBeNull()
    time.advance(1)
    expect(await storage.read('short')).toBeNull()
    time.advance(10 ** 12)
    expect((await storage.read('forever'))?.data).toBe('b')
    expect(storage.size).toBe(1)
  })

  it('sweeps expired entries on later writes, without timers', async () => {
    const time = clock()
    const storage = memoryStorage({ now: time.now })
    await storage.write('old-1', 'a', { ttl: 10 })
    await storage.write('old-2', 'a', { ttl: 10 })
    time.advance(10)
    await storage.write('new', 'b', { ttl: 10 })
    expect(storage.size).toBe(1)
  })

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const storage = memoryStorage({ maxEntries: 2 })
    await storage.write('a', '1', { ttl: 0 })
    await storage.write('b', '2', { ttl: 0 })
    await storage.read('a') // a is now the most recently used
    await storage.write('c', '3', { ttl: 0 })
    expect(await storage.read('b')).toBeNull()
    expect((await storage.read('a'))?.data).toBe('1')
    expect((await storage.read('c'))?.data).toBe('3')
    await storage.write('a', '1b', { ttl: 0 }) // a write refreshes too
    await storage.write('d', '4', { ttl: 0 })
    expect(await storage.read('c')).toBeNull()
    expect(storage.size).toBe(2)
  })

  it('refuses a bound below 1', () => {
    for (const maxEntries of [0, -1, Number.NaN]) {
      let error: unknown
      try {
        memoryStorage({ maxEntries })
      } catch (caught) {
        error = caught
      }
      expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
    }
  })

  describe('compare-and-set', () => {
    it('expectedVersion null writes only when no entry exists', async () => {
      const storage = memoryStorage()
      expect(await storage.write('id', 'first', { ttl: 0, expectedVersion: null })).toBe(1)
      expect(await storage.write('id', 'second', { ttl: 0, expectedVersion: null })).toBeNull()
      expect((await storage.read('id'))?.data).toBe('first')
    })

    it('expectedVersion n writes only over version n', async () => {
      const storage = memoryStorage()
      await storage.write('id', 'v1', { ttl: 0 })
      expect(await storage.write('id', 'v2', { ttl: 0, expectedVersion: 1 })).toBe(2)
      expect(await storage.write('id', 'stale', { ttl: 0, expectedVersion: 1 })).toBeNull()
      expect(await storage.write('id', 'ahead', { ttl: 0, expectedVersion: 3 })).toBeNull()
      expect(await storage.read('id')).toMatchObject({ data: 'v2', version: 2 })
      expect(await storage.write('missing', 'x', { ttl: 0, expectedVersion: 1 })).toBeNull()
      expect(await storage.read('missing')).toBeNull()
    })

    it('expectedVersion undefined writes unconditionally', async () => {
      const storage = memoryStorage()
      expect(await storage.write('id', 'a', { ttl: 0, expectedVersion: undefined })).toBe(1)
      expect(await storage.write('id', 'b', { ttl: 0 })).toBe(2)
      expect((await storage.read('id'))?.data).toBe('b')
    })

    it('treats an expired entry as absent', async () => {
      const time = clock()
      const storage = memoryStorage({ now: time.now })
      await storage.write('id', 'a', { ttl: 100 })
      time.advance(100)
      expect(await storage.write('id', 'stale', { ttl: 0, expectedVersion: 1 })).toBeNull()
      expect(await storage.write('id', 'fresh', { ttl: 0, expectedVersion: null })).toBe(1)
    })
  })

  describe('owner index', () => {
    it('invalidateOwner ends every session of that owner and only those', async () => {
      const storage = memoryStorage()
      await storage.write('a', '1', { ttl: 0, owner: 'ada' })
      await storage.write('b', '2', { ttl: 0, owner: 'ada' })
      await storage.write('c', '3', { ttl: 0, owner: 'bob' })
      await storage.write('d', '4', { ttl: 0 })
      expect(await storage.invalidateOwner!('ada')).toBe(2)
      expect(await storage.read('a')).toBeNull()
      expect(await storage.read('b')).toBeNull()
      expect(await storage.read('c')).not.toBeNull()
      expect(await storage.read('d')).not.toBeNull()
      expect(await storage.invalidateOwner!('ada')).toBe(0)
      expect(await storage.invalidateOwner!('nobody')).toBe(0)
    })

    it('keeps the owner across writes that name none, and moves it when another is named', async () => {
      const storage = memoryStorage()
      await storage.write('a', '1', { ttl: 0, owner: 'ada' })
      await storage.write('a', '2', { ttl: 0 })
      await storage.write('b', '1', { ttl: 0, owner: 'ada' })
      await storage.write('b', '2', { ttl: 0, owner: 'bob' })
      expect(await storage.invalidateOwner!('ada')).toBe(1)
      expect(await storage.read('a')).toBeNull()
      expect(await storage.invalidateOwner!('bob')).toBe(1)
    })

    it('forgets entries that were invalidated, evicted or expired', async () => {
      const time = clock()
      const storage = memoryStorage({ maxEntries: 2, now: time.now })
      await storage.write('a', '1', { ttl: 0, owner: 'ada' })
      await storage.invalidate('a')
      await storage.write('b', '1', { ttl: 50, owner: 'ada' })
      await storage.write('c', '1', { ttl: 0, owner: 'bob' })
      await storage.write('d', '1', { ttl: 0, owner: 'bob' }) // evicts b
      expect(await storage.invalidateOwner!('ada')).toBe(0)
      await storage.write('e', '1', { ttl: 50, owner: 'eve' })
      time.advance(50)
      expect(await storage.invalidateOwner!('eve')).toBe(0) // already expired: nothing left to end
    })
  })

  it('invalidate of a missing id is not an error; clear empties everything', async () => {
    const storage = memoryStorage()
    await expect(storage.invalidate('missing')).resolves.toBeUndefined()
    await storage.write('a', '1', { ttl: 0, owner: 'ada' })
    storage.clear()
    expect(storage.size).toBe(0)
    expect(await storage.invalidateOwner!('ada')).toBe(0)
  })
})
