import type { Redis } from 'ioredis'

/** A connection to the bench's Redis (127.0.0.1:6379) and the key prefix its caller writes under. */
export interface BenchRedis {
  readonly client: Redis
  /** `tessera-bench-<name>:<pid>:`, so no two rows or processes share keys. */
  readonly prefix: string
  /** Deletes every key under the prefix (a bounded SCAN), then closes the connection. */
  close(): Promise<void>
}

/**
 * Connects to Redis on 127.0.0.1:6379 for one row or measurement, refusing at once with a clear
 * error when Redis is not there.
 *
 * @example const { client, prefix, close } = await connectBenchRedis('hand')
 */
export async function connectBenchRedis(name: string): Promise<BenchRedis> {
  const { default: Redis } = await import('ioredis')
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await client.connect()
    await client.ping()
  } catch {
    client.disconnect()
    throw new Error('Redis is not reachable on 127.0.0.1:6379')
  }
  const prefix = `tessera-bench-${name}:${process.pid}:`
  return {
    client,
    prefix,
    async close() {
      let cursor = '0'
      for (let round = 0; round < 100_000; round++) {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
        if (keys.length > 0) await client.del(...keys)
        cursor = next
        if (cursor === '0') break
      }
      await client.quit()
    },
  }
}
