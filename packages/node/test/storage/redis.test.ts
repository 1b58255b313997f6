import { isSessionError } from '@tessera/core'
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisClient, redisStorage } from '../../src/redis'
import { describeStorageContract } from './contract'
import { countRedisCommands } from './helpers/counting'
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

describe.runIf(up)('redisStorage', () => {
  let redis: Redis
  beforeAll(() => {
    redis = connect()
  })
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    expect(await redis.keys(`${prefix}*`)).toEqual([])
    await Promise.all(clients.map((client) => client.quit()))
  })

  describeStorageContract('redisStorage', () => redisStorage(redis, { prefix: `${prefix}contract:` }), {
    checksIds: true,
  })
  describeLifecycle('redisStorage', () => {
    // A client of its own, so the round trips counted are this suite's only.
    const client = connect()
    const commands = countRedisCommands(client)
    return {
      storage: redisStorage(client, { prefix: `${prefix}lifecycle:`, timeout: 10_000 }),
      roundTrips: () => commands.names.length,
    }
  })

  describe('redisStorage: keys and commands', () => {
    it('keeps a session in one hash with a TTL, and the owner set outliving its sessions', async () => {
      const storage = redisStorage(redis, { prefix: `${prefix}layout:` })
      const id = newId()
      await storage.write(id, '{"n":1}', { ttl: 60_000, owner: 'ada' })
      const key = `${prefix}layout:${id}`
      const hash = await redis.hgetall(key)
      expect(hash).toMatchObject({ data: '{"n":1}', version: '1', owner: 'ada' })
      expect(Number(hash.expires)).toBeGreaterThan(Date.now() + 55_000)
      expect(await redis.pttl(key)).toBeGreaterThan(55_000)
      const set = `${prefix}layout:owner:ada`
      expect(await redis.smembers(set)).toEqual([id])
      const setTtl = await redis.pttl(set)
      expect(setTtl).toBeGreaterThan(55_000)
      // A longer-lived session stretches the set's TTL; a session that never expires makes it persistent.
      await storage.write(newId(), 'x', { ttl: 600_000, owner: 'ada' })
      expect(await redis.pttl(set)).toBeGreaterThan(590_000)
      await storage.write(newId(), 'y', { ttl: 0, owner: 'ada' })
      expect(await redis.pttl(set)).toBe(-1)
      // A session that never expires has no TTL; rewriting it with one gives it one.
      await storage.write(id, '{"n":2}', { ttl: 0 })
      expect(await redis.pttl(key)).toBe(-1)
      expect(await redis.hget(key, 'expires')).toBe('0')
      await storage.write(id, '{"n":3}', { ttl: 5000 })
      expect(await redis.pttl(key)).toBeGreaterThan(4000)
    })

    it('prunes owner-set members whose sessions are gone, a couple per write', async () => {
      const storage = redisStorage(redis, { prefix: `${prefix}prune:` })
      const set = `${prefix}prune:owner:bo`
      const gone = [newId(), newId(), newId()]
      for (const id of gone) await storage.write(id, 'x', { ttl: 60_000, owner: 'bo' })
      await redis.del(...gone.map((id) => `${prefix}prune:${id}`)) // expired, as far as the set knows
      const live = newId()
      for (let i = 0; i < 20 && (await redis.scard(set)) > 1; i++) {
        await storage.write(live, `write ${i}`, { ttl: 60_000, owner: 'bo' })
      }
      expect(await redis.smembers(set)).toEqual([live])
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
      expect((await redis.smembers(`${prefix}client:app:owner:cy`)).sort()).toEqual([a, b].sort())
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
      expect(() => redisStorage({} as RedisClient)).toThrow(/ioredis client/)
      expect(() => redisStorage(redis, { timeout: 0 })).toThrow(/timeout/)
      expect(() => redisStorage(redis, { timeout: Number.NaN })).toThrow(/timeout/)
    })
  })
})
