import type { SessionStorage } from '@tessera/node'
import { memoryStorage } from '@tessera/node'

/** Where the playground keeps logins. */
export type StorageKind = 'memory' | 'redis' | 'postgres'

/** The storage kinds, as `STORAGE=` and `--storage` accept them. */
export const STORAGE_KINDS: readonly StorageKind[] = ['memory', 'redis', 'postgres']

/** An open storage and what it takes to describe and close it. */
export interface OpenedStorage {
  readonly kind: StorageKind
  readonly storage: SessionStorage
  /** Where it is, for the start-up line (never a password). */
  readonly description: string
  close(): Promise<void>
}

/** Gives up on a promise after `ms`, so a server that is down fails the start-up instead of hanging it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Shows a connection URL without its credentials. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.toString()
  } catch {
    return 'the configured server'
  }
}

async function openRedis(env: NodeJS.ProcessEnv): Promise<OpenedStorage> {
  const url = env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  const [{ Redis }, { redisStorage }] = await Promise.all([import('ioredis'), import('@tessera/node/redis')])
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
  })
  redis.on('error', () => {}) // failures reach requests as 503s; reconnects are ioredis's job
  try {
    await within(redis.connect(), 3000, 'Redis')
  } catch (error) {
    redis.disconnect()
    throw new Error(`cannot reach Redis at ${withoutCredentials(url)} (${(error as Error).message})`)
  }
  return {
    kind: 'redis',
    storage: redisStorage(redis, { prefix: 'tessera-playground:' }),
    description: `Redis at ${withoutCredentials(url)}`,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}

async function openPostgres(env: NodeJS.ProcessEnv): Promise<OpenedStorage> {
  const url = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const [{ default: pg }, { postgresStorage }] = await Promise.all([
    import('pg'),
    import('@tessera/node/postgres'),
  ])
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 2000 })
  const storage = postgresStorage(pool, { table: 'tessera_playground_sessions', timeout: 2000 })
  try {
    await within(storage.ensureTable(), 3000, 'PostgreSQL')
  } catch (error) {
    storage.close()
    await pool.end().catch(() => undefined)
    throw new Error(`cannot reach PostgreSQL at ${withoutCredentials(url)} (${(error as Error).message})`)
  }
  return {
    kind: 'postgres',
    storage,
    description: `PostgreSQL at ${withoutCredentials(url)}, table tessera_playground_sessions`,
    close: async () => {
      storage.close()
      await pool.end()
    },
  }
}

/**
 * Opens the storage logins live in: the embedded in-memory default, or the local Redis or PostgreSQL
 * (`REDIS_URL`, `DATABASE_URL` to point elsewhere). Redis and PostgreSQL are loaded only when chosen.
 *
 * @example const { storage, close } = await openStorage('redis', process.env)
 */
export async function openStorage(kind: StorageKind, env: NodeJS.ProcessEnv): Promise<OpenedStorage> {
  if (kind === 'redis') return openRedis(env)
  if (kind === 'postgres') return openPostgres(env)
  return {
    kind: 'memory',
    storage: memoryStorage(),
    description: 'in memory (the embedded default; sessions end when the server stops)',
    close: async () => {},
  }
}
