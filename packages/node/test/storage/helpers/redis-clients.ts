import { Cluster, Redis, type RedisOptions } from 'ioredis'
import { createClient, createCluster } from 'redis'
import type { NodeRedisClient, RedisClient } from '../../../src/redis'
import { REDIS_PORT } from './servers'

/** The two client libraries the Redis storage supports. */
export type RedisLibrary = 'ioredis' | 'node-redis'
export const REDIS_LIBRARIES: readonly RedisLibrary[] = ['ioredis', 'node-redis']

/** A connected client, whichever library and topology, and how to close it. */
export interface TestRedisClient {
  readonly library: RedisLibrary
  readonly client: RedisClient | NodeRedisClient
  /** Storage calls that reached the client (each is one command, one round trip) so far. */
  readonly commands: string[]
  quit(): Promise<void>
}

/**
 * Wraps a client so every call of the three methods the storage uses is recorded by name; the rest
 * (and the properties the storage reads: `options`, `isCluster`, `getSlotMaster`) pass through.
 */
function counted<T extends object>(client: T, commands: string[]): T {
  const names = new Set(['hmget', 'evalsha', 'eval', 'hmGet', 'evalSha'])
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof property !== 'string' || !names.has(property) || typeof value !== 'function') return value
      return (...args: unknown[]) => {
        commands.push(property.toLowerCase())
        return value.apply(target, args)
      }
    },
  })
}

/** A client of `library` on the standalone Redis (127.0.0.1:6379). */
export async function standaloneClient(
  library: RedisLibrary,
  options: RedisOptions = {},
): Promise<TestRedisClient> {
  const commands: string[] = []
  if (library === 'ioredis') {
    const client = new Redis({ host: '127.0.0.1', port: REDIS_PORT, ...options })
    client.on('error', () => {}) // a test that breaks the connection expects these
    return {
      library,
      client: counted(client, commands),
      commands,
      quit: async () => void (await client.quit()),
    }
  }
  const client = createClient({ socket: { host: '127.0.0.1', port: REDIS_PORT } })
  client.on('error', () => {})
  await client.connect()
  return { library, client: counted(client, commands), commands, quit: async () => void client.destroy() }
}

/**
 * A cluster client of `library`, seeded with the nodes on `ports` (127.0.0.1), configured as
 * docs/scaling.md advises: no offline queue, nothing resent after a reconnect.
 */
export async function clusterClient(
  library: RedisLibrary,
  ports: readonly number[],
): Promise<TestRedisClient> {
  const commands: string[] = []
  if (library === 'ioredis') {
    const client = new Cluster(
      ports.map((port) => ({ host: '127.0.0.1', port })),
      {
        enableOfflineQueue: false,
        redisOptions: { autoResendUnfulfilledCommands: false },
      },
    )
    client.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve)
      client.once('end', () => reject(new Error('the ioredis cluster client could not connect')))
    })
    return {
      library,
      client: counted(client, commands),
      commands,
      quit: async () => void (await client.quit()),
    }
  }
  const client = createCluster({
    rootNodes: ports.map((port) => ({ socket: { host: '127.0.0.1', port } })),
    defaults: { disableOfflineQueue: true },
  })
  client.on('error', () => {})
  await client.connect()
  return { library, client: counted(client, commands), commands, quit: async () => void client.destroy() }
}
