import { SessionError, type SessionStorage } from '@tessera/core'
import { assertSessionId } from '../storage-support/session-id'
import { storageFailure, withTimeout } from '../storage-support/storage-failure'
import { INVALIDATE, INVALIDATE_OWNER, type RedisScript, WRITE } from './redis-scripts'

/**
 * The few commands the storage sends, as an ioredis client (`Redis`) has them. Any object with these
 * methods works, so a test can wrap a client to count its round trips.
 */
export interface RedisClient {
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>
  evalsha(sha: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>
  /** ioredis's options; a `keyPrefix` set there is honoured for the keys the scripts derive. */
  readonly options?: { readonly keyPrefix?: string | undefined } | undefined
}

/**
 * Options of {@link redisStorage}.
 *
 * @example redisStorage(redis, { prefix: 'my-app:sess:', timeout: 500 })
 */
export interface RedisStorageOptions {
  /**
   * Prefix of every key: sessions at `<prefix><id>`, owner indexes at `<prefix>owner:<owner>`.
   * Give each app (or test run) its own.
   * @default 'tessera:'
   */
  readonly prefix?: string | undefined
  /**
   * Milliseconds a command may take before it is given up and the request gets
   * `SessionError('STORAGE_UNAVAILABLE')` (503). A command given up may still run later, when the
   * client's offline queue delivers it (see docs/storage.md).
   * @default 1000
   */
  readonly timeout?: number | undefined
}

/** A {@link SessionStorage} on Redis, always with the owner index. */
export interface RedisStorage extends SessionStorage {
  /** The key prefix in use. */
  readonly prefix: string
  invalidateOwner(owner: string): Promise<number>
}

const STORAGE = 'redis'
const READ_FIELDS = ['data', 'version', 'expires'] as const

/**
 * Server-side sessions in Redis, through an ioredis client you create and own (connect, reconnect,
 * TLS, Sentinel and `quit()` stay yours). One round trip to read (`HMGET`), one to write (a
 * compare-and-set Lua script by `EVALSHA`), TTL by `PEXPIRE`, a per-user set for signing out
 * everywhere. Commands that get no answer within `timeout` fail the request with
 * `STORAGE_UNAVAILABLE` instead of hanging it; when Redis is back, the next request works.
 *
 * @example
 * import Redis from 'ioredis'
 * const redis = new Redis({ host: '127.0.0.1', enableOfflineQueue: false })
 * const sessions = createSessions({ secret, sessions: [header(Login, { storage: redisStorage(redis) })] })
 */
export function redisStorage(client: RedisClient, options: RedisStorageOptions = {}): RedisStorage {
  if (!client || typeof client.hmget !== 'function' || typeof client.evalsha !== 'function') {
    throw new SessionError('INVALID_OPTION', 'redisStorage needs an ioredis client')
  }
  const prefix = options.prefix ?? 'tessera:'
  if (typeof prefix !== 'string')
    throw new SessionError('INVALID_OPTION', 'redisStorage prefix must be a string')
  const timeout = options.timeout ?? 1000
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new SessionError('INVALID_OPTION', 'redisStorage timeout must be a positive number of milliseconds')
  }
  // Keys passed as KEYS get the client's own keyPrefix from ioredis; keys a script builds need it spelled out.
  const fullPrefix = (client.options?.keyPrefix ?? '') + prefix
  const ownerPrefix = `${prefix}owner:`
  const fullOwnerPrefix = `${fullPrefix}owner:`

  const run = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(call(), timeout, STORAGE, operation)
    } catch (error) {
      throw storageFailure(STORAGE, operation, error)
    }
  }

  /** EVALSHA, and EVAL when Redis does not know the script yet (first use, restart, SCRIPT FLUSH). */
  const evaluate = async (script: RedisScript, key: string, args: (string | number)[]): Promise<unknown> => {
    try {
      return await client.evalsha(script.sha, 1, key, ...args)
    } catch (error) {
      if (!String((error as Error | null)?.message).startsWith('NOSCRIPT')) throw error
      return client.eval(script.lua, 1, key, ...args)
    }
  }

  return {
    prefix,

    async read(id) {
      assertSessionId(id, STORAGE)
      const [data, version, expires] = await run('read', () => client.hmget(prefix + id, ...READ_FIELDS))
      if (data === null || data === undefined) return null
      return { data, version: Number(version), expiresAt: Number(expires) || 0 }
    },

    async write(id, data, { ttl, expectedVersion, owner }) {
      assertSessionId(id, STORAGE)
      const expected = expectedVersion === undefined ? '' : String(expectedVersion ?? 0)
      const args = [data, Math.max(0, Math.ceil(ttl)), expected, owner ?? '', fullOwnerPrefix, id, fullPrefix]
      const version = await run('write', () => evaluate(WRITE, prefix + id, args))
      return version === null || version === undefined ? null : Number(version)
    },

    async invalidate(id) {
      assertSessionId(id, STORAGE)
      await run('invalidate', () => evaluate(INVALIDATE, prefix + id, [fullOwnerPrefix, id]))
    },

    async invalidateOwner(owner) {
      if (typeof owner !== 'string')
        throw new SessionError('INVALID_VALUE', 'redis storage: owner must be a string')
      const count = await run('invalidateOwner', () =>
        evaluate(INVALIDATE_OWNER, ownerPrefix + owner, [owner, fullPrefix]),
      )
      return Number(count)
    },
  }
}
