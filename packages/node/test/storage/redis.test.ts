import { isSessionError } from '@tessera/core'
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisClient, redisStorage } from '../../src/redis'
import { describeStorageContract } from './contract'
import { countRedisCommands } from './helpers/counting'
import { REDIS_LIBRARIES, standaloneClient, type TestRedisClient } from './helpers/redis-clients'
import { newId, REDIS_PORT, serverAvailable, settlesWithin, uniqueSuffix } from './helpers/servers'
import { describeLifecycle } from './lifecycle'

const up = await serverAvailable('Redis', REDIS_PORT)
/** Every key this file writes starts with this, so runs never collide and cleanup is exact. */
const prefix = `tessera-test:${uniqueSuffix()}:`
const clients: Redis[] = []
function connect(options: RedisOptions = {}): Redis {
  const client = new Redis({ host: '127.0.0.1', port: REDIS_PORT, ...options })
  client.on('error', () => {}) // a test that breaks the connection expects these
  clients.push(client)
  return client
}
const libraryClients: TestRedisClient[] = []

describe.runIf(up)('redisStorage', () => {
  let redis: Redis
  beforeAll(() => {
    redis = connect()
  })
  afterAll(async () => {
    await Promise.all(libraryClients.map((client) => client.quit()))
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    expect(await redis.keys(`${prefix}*`)).toEqual([])
    await Promise.all(clients.map((client) => client.quit()))
  })

  // The same contract and lifecycle through either client library.
  for (const library of REDIS_LIBRARIES) {
    const client = async () => {
      const made = await standaloneClient(library)
      libraryClients.push(made)
      return made
    }
    describeStorageContract(
      `redisStorage (${library})`,
      async () => redisStorage((await client()).client, { prefix: `${prefix}${library}:contract:` }),
      { checksIds: true },
    )
    describeLifecycle(`redisStorage (${library})`, async () => {
      // A client of its own, so the round trips counted are this suite's only.
      const made = await client()
      return {
        storage: redisStorage(made.client, { prefix: `${prefix}${library}:lifecycle:`, timeout: 10_000 }),
        roundTrips: () => made.commands.length,
      }
    })
  }

  describe('redisStorage: keys and commands', () => {
    it('keeps a session in one hash with a TTL, and its owner index entry outliving it', async () => {
      const storage = redisStorage(redis, { prefix: `${prefix}layout:` })
      const id = newId()
      await storage.write(id, '{"n":1}', { ttl: 60_000, owner: 'ada' })
      const key = `${prefix}layout:${id}`
      const hash = await redis.hgetall(key)
      expect(hash).toMatchObject({ data: '{"n":1}', version: '1', owner: 'ada' })
      const expires = Number(hash.expires)
      expect(expires).toBeGreaterThan(Date.now() + 55_000)
      expect(await redis.pttl(key)).toBeGreaterThan(55_000)
      // The index: a sorted set, the id scored with its session's expiry plus a minute of margin.
      const index = `${prefix}layout:owner:ada`
      expect(await redis.zrange(index, 0, -1, 'WITHSCORES')).toEqual([id, String(expires + 60_000)])
      expect(await redis.pttl(index)).toBeGreaterThan(115_000)
      // A longer-lived session stretches the index's TTL; a session that never expires makes it persistent.
      await storage.write(newId(), 'x', { ttl: 600_000, owner: 'ada' })
      expect(await redis.pttl(index)).toBeGreaterThan(650_000)
      const forever = newId()
      await storage.write(forever, 'y', { ttl: 0, owner: 'ada' })
      expect(await redis.zscore(index, forever)).toBe('inf')
      expect(await redis.pttl(index)).toBe(-1)
      // A session that never expires has no TTL; rewriting it with one gives it one.
      await storage.write(id, '{"n":2}', { ttl: 0 })
      expect(await redis.pttl(key)).toBe(-1)
      expect(await redis.hget(key, 'expires')).toBe('0')
      await storage.write(id, '{"n":3}', { ttl: 5000 })
      expect(await redis.pttl(key)).toBeGreaterThan(4000)
      // Handed to another owner, the session leaves the first owner's index at once.
      await storage.write(id, '{"n":4}', { ttl: 5000, owner: 'bo' })
      expect(await redis.zscore(index, id)).toBeNull()
      expect(await redis.zrange(`${prefix}layout:owner:bo`, 0, -1)).toEqual([id])
    })

    it('drops index entries whose score has passed, whenever it adds one', async () => {
      const storage = redisStorage(redis, { prefix: `${prefix}prune:` })
      const index = `${prefix}prune:owner:bo`
      const gone = [newId(), newId(), newId()]
      // Entries of sessions that expired more than the margin ago, as far as the index knows.
      for (const id of gone) await redis.zadd(index, Date.now() - 1000, id)
      const live = newId()
      await storage.write(live, 'x', { ttl: 60_000, owner: 'bo' })
      expect(await redis.zrange(index, 0, -1)).toEqual([live])
    })

    it('reads with one HMGET and writes with one EVALSHA', async () => {
      const client = connect()
      const commands = countRedisCommands(client)
      const storage = redisStorage(client, { prefix: `${prefix}count:` })
      const id = newId()
      await storage.write(id, 'warm', { ttl: 60_000 }) // Redis may not know the script yet
      commands.reset()
      await storage.read(id)
      expect(commands.names).toEqual(['hmget'])
      commands.reset()
      await storage.write(id, 'changed', { ttl: 60_000, expectedVersion: 1, owner: 'ada' })
      expect(commands.names).toEqual(['evalsha'])
      commands.reset()
      await storage.invalidate(id)
      expect(commands.names).toEqual(['evalsha'])
      commands.reset()
      await storage.invalidateOwner('ada')
      expect(commands.names).toEqual(['evalsha'])
    })

    it('falls back to EVAL when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH)', async () => {
      const calls: string[] = []
      const client: RedisClient = {
        hmget: (key, ...fields) => redis.hmget(key, ...fields),
        evalsha: async () => {
          calls.push('evalsha')
          throw new Error('NOSCRIPT No matching script. Please use EVAL.')
        },
        eval: (script, numkeys, ...args) => {
          calls.push('eval')
          return redis.eval(script, numkeys, ...args)
        },
      }
      const storage = redisStorage(client, { prefix: `${prefix}noscript:` })
      const id = newId()
      expect(await storage.write(id, 'via eval', { ttl: 60_000 })).toBe(1)
      expect(calls).toEqual(['evalsha', 'eval'])
      expect((await storage.read(id))?.data).toBe('via eval')
    })

    it("honours the client's own keyPrefix, for the keys its scripts build too", async () => {
      const client = connect({ keyPrefix: `${prefix}client:` })
      const storage = redisStorage(client, { prefix: 'app:' })
      const [a, b] = [newId(), newId()]
      await storage.write(a, 'a', { ttl: 60_000, owner: 'cy' })
      await storage.write(b, 'b', { ttl: 60_000, owner: 'cy' })
      expect(await redis.exists(`${prefix}client:app:${a}`)).toBe(1)
      expect((await redis.zrange(`${prefix}client:app:owner:cy`, 0, -1)).sort()).toEqual([a, b].sort())
      expect(await storage.invalidateOwner('cy')).toBe(2)
      expect(await redis.exists(`${prefix}client:app:${a}`, `${prefix}client:app:${b}`)).toBe(0)
      await storage.write(a, 'a again', { ttl: 60_000, owner: 'cy' })
      await storage.invalidate(a)
      expect(await redis.exists(`${prefix}client:app:owner:cy`)).toBe(0)
    })

    it('gives up on a command that does not answer within timeout: STORAGE_UNAVAILABLE, nothing leaked', async () => {
      const never = new Promise<never>(() => {})
      const client: RedisClient = { hmget: () => never, evalsha: () => never, eval: () => never }
      const storage = redisStorage(client, { timeout: 100 })
      const id = newId()
      for (const call of [() => storage.read(id), () => storage.write(id, 'secret value', { ttl: 1000 })]) {
        const error = await settlesWithin(
          call().catch((e: unknown) => e),
          2000,
          'a storage call',
        )
        expect(isSessionError(error, 'STORAGE_UNAVAILABLE')).toBe(true)
        expect((error as Error).message).toMatch(/^redis storage: (read|write) got no answer within 100 ms$/)
        expect((error as Error).message).not.toContain(id)
      }
    })

    it('refuses bad options', () => {
      expect(() => redisStorage({} as RedisClient)).toThrow(/an ioredis or a node-redis client/)
      expect(() => redisStorage(redis, { timeout: 0 })).toThrow(/timeout/)
      expect(() => redisStorage(redis, { timeout: Number.NaN })).toThrow(/timeout/)
    })
  })
})
