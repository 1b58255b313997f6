import { createSessionEngine, webCrypto } from '@tessera/core'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { dataVectorSuite } from '../../core/test/helpers/data-vectors'
import { createSessions, memoryStorage, nodeCrypto } from '../src'
import { redisStorage } from '../src/redis'
import { REDIS_PORT, serverAvailable, uniqueSuffix } from './storage/helpers/servers'

const SECRET = 'tessera data token tests: 32+ bytes, never use'
const NOW = 1_800_000_000_000

describe('data tokens on node:crypto and on WebCrypto are one format', () => {
  const node = createSessions({ secret: SECRET, sessions: [], now: () => NOW })
  const web = createSessionEngine({ secret: SECRET, sessions: [], crypto: webCrypto, now: () => NOW })
  const options = { purpose: 'magic-link', expiresIn: '15m' } as const

  it('signs byte for byte alike, and each verifies the other', async () => {
    const value = { email: 'a@example.com', at: new Date(NOW) }
    const fromNode = await node.sign(value, options)
    expect(await web.sign(value, options)).toBe(fromNode)
    expect(await web.verify(fromNode, { purpose: 'magic-link' })).toEqual(value)
    expect(await node.verify(await web.sign(value, options), { purpose: 'magic-link' })).toEqual(value)
  })

  it('each unseals what the other sealed, one-time use recorded in a shared storage', async () => {
    const storage = memoryStorage()
    const sealed = await node.seal({ userId: 'u1' }, { ...options, oneTime: true })
    expect(await web.unseal(sealed, { purpose: 'magic-link', storage })).toEqual({ userId: 'u1' })
    await expect(node.unseal(sealed, { purpose: 'magic-link', storage })).rejects.toMatchObject({
      code: 'TOKEN_USED',
    })
    expect(await node.unseal(await web.seal(7, options), { purpose: 'magic-link' })).toBe(7)
  })
})

describe('v1 data token vectors with nodeCrypto', () => dataVectorSuite(nodeCrypto))

const redisUp = await serverAvailable('Redis', REDIS_PORT)

describe.runIf(redisUp)('one-time data tokens on Redis', () => {
  it('of 20 concurrent unseals through two engines exactly one succeeds', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: REDIS_PORT })
    const prefix = `tessera-test:${uniqueSuffix()}:`
    try {
      const storage = redisStorage(redis, { prefix })
      const engines = [0, 1].map(() => createSessions({ secret: SECRET, sessions: [] }))
      const token = await engines[0]!.seal(
        { userId: 'u1' },
        { purpose: 'reset', expiresIn: '5m', oneTime: true },
      )
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => engines[i % 2]!.unseal(token, { purpose: 'reset', storage })),
      )
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
      expect(
        outcomes.every((outcome) => outcome.status === 'fulfilled' || outcome.reason.code === 'TOKEN_USED'),
      ).toBe(true)
    } finally {
      const keys = await redis.keys(`${prefix}*`)
      if (keys.length > 0) await redis.del(...keys)
      redis.disconnect()
    }
  })
})
