/**
 * The Redis storage on a real Redis Cluster (six nodes on 127.0.0.1:7000-7005, started by
 * helpers/redis-cluster.sh when none is running): the storage contract and the HTTP lifecycle through
 * ioredis's `Cluster` and node-redis's `createCluster`, sign out everywhere across slots, and a master
 * killed under load. Every test of the cluster lives in this file, so the failover never runs beside
 * another test that uses the cluster.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { redisStorage } from '../../src/redis'
import { describeStorageContract } from './contract'
import { describeFailover } from './failover'
import { clusterClient, REDIS_LIBRARIES, type TestRedisClient } from './helpers/redis-clients'
import { CLUSTER_PORTS, clusterAvailable, keySlot, loadScripts, masterOfSlot } from './helpers/redis-cluster'
import { newId, uniqueSuffix } from './helpers/servers'
import { describeLifecycle } from './lifecycle'

const up = await clusterAvailable()
/** Every key this file writes starts with this (no braces: keys spread over the slots). */
const prefix = `tessera-test:${uniqueSuffix()}:`
const clients: TestRedisClient[] = []
async function connect(library: (typeof REDIS_LIBRARIES)[number]): Promise<TestRedisClient> {
  const made = await clusterClient(library, CLUSTER_PORTS)
  clients.push(made)
  return made
}

describe.runIf(up)('redisStorage on Redis Cluster', () => {
  afterAll(async () => {
    // Each master holds its own share of the keys: clean every one of them.
    const { Redis } = await import('ioredis')
    for (const port of CLUSTER_PORTS) {
      const node = new Redis({ host: '127.0.0.1', port })
      node.on('error', () => {})
      if ((await node.call('ROLE').then((role) => (role as string[])[0])) === 'master') {
        const keys = await node.keys(`${prefix}*`)
        for (const key of keys) await node.del(key)
      }
      node.disconnect()
    }
    await Promise.all(clients.map((client) => client.quit()))
  })

  for (const library of REDIS_LIBRARIES) {
    describeStorageContract(
      `redisStorage on a cluster (${library})`,
      async () => redisStorage((await connect(library)).client, { prefix: `${prefix}${library}:contract:` }),
      { checksIds: true },
    )
    describeLifecycle(`redisStorage on a cluster (${library})`, async () => {
      await loadScripts() // so the round trips counted are the storage's own, whichever node is new
      const made = await connect(library)
      return {
        storage: redisStorage(made.client, { prefix: `${prefix}${library}:lifecycle:`, timeout: 10_000 }),
        roundTrips: () => made.commands.length,
        indexRoundTrips: 1,
      }
    })

    describe(`redisStorage on a cluster (${library}): sign out everywhere across slots`, () => {
      it('ends the sessions of one owner spread over all three masters, and nobody else', async () => {
        const storage = redisStorage((await connect(library)).client, {
          prefix: `${prefix}${library}:spread:`,
        })
        const owner = `user-${newId()}`
        const ids = Array.from({ length: 30 }, () => newId())
        await Promise.all(ids.map((id) => storage.write(id, `{"id":"${id}"}`, { ttl: 60_000, owner })))
        const other = newId()
        await storage.write(other, 'other', { ttl: 60_000, owner: 'someone-else' })
        // The sessions really are on different masters, and the index on one of them.
        const masters = new Set(
          await Promise.all(
            ids.map(async (id) => masterOfSlot(await keySlot(`${prefix}${library}:spread:${id}`))),
          ),
        )
        expect(masters.size).toBe(3)
        expect(await storage.invalidateOwner(owner)).toBe(30)
        expect(await Promise.all(ids.map((id) => storage.read(id)))).toEqual(ids.map(() => null))
        expect((await storage.read(other))?.data).toBe('other')
        expect(await storage.invalidateOwner(owner)).toBe(0)
      })

      it('a sign-out racing new logins ends every session written before it; the rest stay listed', async () => {
        const storage = redisStorage((await connect(library)).client, { prefix: `${prefix}${library}:race:` })
        const owner = `user-${newId()}`
        const before = Array.from({ length: 20 }, () => newId())
        await Promise.all(before.map((id) => storage.write(id, 'before', { ttl: 60_000, owner })))
        const during = Array.from({ length: 20 }, () => newId())
        const [ended] = await Promise.all([
          storage.invalidateOwner(owner),
          ...during.map((id) => storage.write(id, 'during', { ttl: 60_000, owner, expectedVersion: null })),
        ])
        expect(await Promise.all(before.map((id) => storage.read(id)))).toEqual(before.map(() => null))
        const survivors = (await Promise.all(during.map((id) => storage.read(id)))).filter(Boolean).length
        expect(ended).toBe(20 + (20 - survivors))
        // Whatever survived the race is still in the index: the next sign-out ends it.
        expect(await storage.invalidateOwner(owner)).toBe(survivors)
        expect((await Promise.all(during.map((id) => storage.read(id)))).filter(Boolean)).toEqual([])
      })
    })
  }
  for (const library of REDIS_LIBRARIES) {
    describeFailover(library, () => connect(library), `${prefix}${library}:failover:`, library === 'ioredis')
  }
})
