import { type OwnedSession, SessionError, type SessionStorage } from '@tessera/core'
import { assertKnownOptions } from '@tessera/core/internal'
import { assertSessionId } from '../storage-support/session-id'
import { storageFailure, withTimeout } from '../storage-support/storage-failure'
import { type NodeRedisClient, type RedisClient, type RedisCommands, redisCommands } from './redis-client'
import {
  CLUSTER_END_IF_OWNER,
  CLUSTER_INDEX_ADD,
  CLUSTER_INDEX_LIST,
  CLUSTER_INDEX_REMOVE,
  CLUSTER_INVALIDATE,
  CLUSTER_WRITE,
  INDEX_MARGIN_MS,
  INVALIDATE,
  INVALIDATE_OWNER,
  LIST_OWNER,
  type RedisScript,
  WRITE,
} from './redis-scripts'

/**
 * Options of {@link redisStorage}.
 *
 * @example redisStorage(redis, { prefix: 'my-app:sess:', timeout: 500 })
 */
export interface RedisStorageOptions {
  /**
   * Prefix of every key: sessions at `<prefix><id>`, owner indexes at `<prefix>owner:<owner>`.
   * Give each app (or test run) its own. On a cluster, keep braces out of it: a `{tag}` would put
   * every key in one slot.
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
  /**
   * The live sessions of an owner, from its index: one Lua script on one node; on a cluster the index,
   * then each session in its own slot. O(sessions of the owner).
   */
  listOwner(owner: string): Promise<readonly OwnedSession[]>
}

const STORAGE = 'redis'
const READ_FIELDS = ['data', 'version', 'expires'] as const
/** A session's fields a cluster listing reads: those of a read, and its owner. */
const LIST_FIELDS = ['data', 'version', 'expires', 'owner'] as const
/** Sessions of one owner a cluster's sign-out ends at once; the rest wait for the next group. */
const CLUSTER_WALK_GROUP = 64

/** The option names redisStorage accepts; a new option is added here (see core's option-names.ts). */
const REDIS_STORAGE_OPTIONS = ['prefix', 'timeout']

/**
 * Server-side sessions in Redis, through an ioredis or node-redis client you create and own
 * (connect, reconnect, TLS, Sentinel, cluster and `quit()` stay yours). One round trip to read
 * (`HMGET`), one to write (a compare-and-set Lua script by `EVALSHA`), TTL by `PEXPIRE`, a per-user
 * index for signing out everywhere. Works on one node and on Redis Cluster (an ioredis `Cluster` or
 * node-redis `createCluster()`), where a write of a session with an owner costs one more round trip.
 * Commands that get no answer within `timeout` fail the request with `STORAGE_UNAVAILABLE` instead of
 * hanging it; when Redis is back, the next request works.
 *
 * @example
 * import Redis from 'ioredis'
 * const redis = new Redis({ host: '127.0.0.1', enableOfflineQueue: false })
 * const sessions = createSessions({ secret, sessions: [header(Login, { storage: redisStorage(redis) })] })
 */
export function redisStorage(
  client: RedisClient | NodeRedisClient,
  options: RedisStorageOptions = {},
): RedisStorage {
  assertKnownOptions(options, REDIS_STORAGE_OPTIONS, 'redisStorage()')
  const commands = redisCommands(client)
  const prefix = options.prefix ?? 'tessera:'
  if (typeof prefix !== 'string')
    throw new SessionError('INVALID_OPTION', 'redisStorage prefix must be a string')
  const timeout = options.timeout ?? 1000
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new SessionError('INVALID_OPTION', 'redisStorage timeout must be a positive number of milliseconds')
  }
  const context: Context = {
    sessionKey: (id) => prefix + id,
    indexKey: (owner) => `${prefix}owner:${owner}`,
    run: async (operation, call) => {
      try {
        return await withTimeout(call(), timeout, STORAGE, operation)
      } catch (error) {
        throw storageFailure(STORAGE, operation, error)
      }
    },
    evaluate: scriptRunner(commands),
    readFields: (key, fields) => commands.hmget(key, fields),
  }
  return {
    prefix,
    async read(id) {
      assertSessionId(id, STORAGE)
      const [data, version, expires] = await context.run('read', () =>
        commands.hmget(context.sessionKey(id), READ_FIELDS),
      )
      if (data === null || data === undefined) return null
      return { data, version: Number(version), expiresAt: Number(expires) || 0 }
    },
    ...(commands.cluster
      ? clusterOperations(context)
      : singleNodeOperations(context, commands.keyPrefix + prefix)),
  }
}

/** What the write, invalidate and sign-out steps share. */
interface Context {
  sessionKey(id: string): string
  indexKey(owner: string): string
  /** Runs one command within the timeout; a failure becomes `STORAGE_UNAVAILABLE`. */
  run<T>(operation: string, call: () => Promise<T>): Promise<T>
  /** Runs a script on one key. */
  evaluate(script: RedisScript, key: string, args: readonly string[]): Promise<unknown>
  /** HMGET of one key. */
  readFields(key: string, fields: readonly string[]): Promise<(string | null)[]>
}

type Operations = Pick<RedisStorage, 'write' | 'invalidate' | 'invalidateOwner' | 'listOwner'>

/** A listed session from `[id, data, version, expires]`. */
const ownedSession = (id: string, data: string, version: string, expires: string): OwnedSession => ({
  id,
  data,
  version: Number(version),
  expiresAt: Number(expires) || 0,
})

/** EVALSHA, and EVAL when Redis (that node, on a cluster) does not know the script yet. */
function scriptRunner(commands: RedisCommands): Context['evaluate'] {
  return async (script, key, args) => {
    try {
      return await commands.evalsha(script.sha, [key], args)
    } catch (error) {
      if (!String((error as Error | null)?.message).startsWith('NOSCRIPT')) throw error
      return commands.eval(script.lua, [key], args)
    }
  }
}

/** The first four arguments of both write scripts: data, ttl, expected version, owner. */
function writeArgs(data: string, ttl: number, expected: number | null | undefined, owner?: string): string[] {
  return [
    data,
    String(Math.max(0, Math.ceil(ttl))),
    expected === undefined ? '' : String(expected ?? 0),
    owner ?? '',
  ]
}

function checkOwner(owner: string): void {
  if (typeof owner !== 'string')
    throw new SessionError('INVALID_VALUE', 'redis storage: owner must be a string')
}

/**
 * One node (standalone, replicas, Sentinel): every operation is one script that touches the session
 * and its owner's index atomically. Keys a script builds (an owner's index, the sessions it lists)
 * need the client's own keyPrefix spelled out (`fullPrefix`); keys passed as KEYS get it from the client.
 */
function singleNodeOperations(context: Context, fullPrefix: string): Operations {
  const { run, evaluate, sessionKey, indexKey } = context
  const fullIndexPrefix = `${fullPrefix}owner:`
  return {
    async write(id, data, { ttl, expectedVersion, owner }) {
      assertSessionId(id, STORAGE)
      const args = [
        ...writeArgs(data, ttl, expectedVersion, owner),
        fullIndexPrefix,
        id,
        String(INDEX_MARGIN_MS),
      ]
      const version = await run('write', () => evaluate(WRITE, sessionKey(id), args))
      return version === null || version === undefined ? null : Number(version)
    },

    async invalidate(id) {
      assertSessionId(id, STORAGE)
      await run('invalidate', () => evaluate(INVALIDATE, sessionKey(id), [fullIndexPrefix, id]))
    },

    async listOwner(owner) {
      checkOwner(owner)
      const flat = (await run('listOwner', () =>
        evaluate(LIST_OWNER, indexKey(owner), [owner, fullPrefix]),
      )) as string[]
      const listed: OwnedSession[] = []
      for (let i = 0; i + 3 < flat.length; i += 4) {
        listed.push(ownedSession(flat[i]!, flat[i + 1]!, flat[i + 2]!, flat[i + 3]!))
      }
      return listed
    },

    async invalidateOwner(owner) {
      checkOwner(owner)
      const count = await run('invalidateOwner', () =>
        evaluate(INVALIDATE_OWNER, indexKey(owner), [owner, fullPrefix]),
      )
      return Number(count)
    },
  }
}

/**
 * Redis Cluster: a session lives in its id's slot, its owner's index in the owner's slot, so no
 * script can touch both. Each step is one atomic script on one key, in an order that keeps every
 * live session listed in its owner's index:
 *
 * - write: the session (compare-and-set), then, when it has an owner, its index entry is raised to
 *   cover the new expiry. An entry is dropped only once its score (expiry + margin) has passed, or by
 *   a sign-out that found the session gone or no longer that owner's.
 * - invalidateOwner: list the index, end each listed session that still names the owner (one script
 *   each, on its own slot), then remove the entries it walked unless a write raised them meanwhile.
 *
 * A session written while a sign-out runs may survive it, as if written just after; every session
 * whose write completed before the sign-out began is ended.
 */
function clusterOperations(context: Context): Operations {
  const { run, evaluate, sessionKey, indexKey } = context
  return {
    async write(id, data, { ttl, expectedVersion, owner }) {
      assertSessionId(id, STORAGE)
      const args = writeArgs(data, ttl, expectedVersion, owner)
      const result = await run('write', () => evaluate(CLUSTER_WRITE, sessionKey(id), args))
      if (!Array.isArray(result)) return null
      const [version, stored, expires] = result as [unknown, unknown, unknown]
      if (typeof stored === 'string' && stored !== '') {
        await run('write', () =>
          evaluate(CLUSTER_INDEX_ADD, indexKey(stored), [id, String(expires), String(INDEX_MARGIN_MS)]),
        )
      }
      return Number(version)
    },

    async invalidate(id) {
      assertSessionId(id, STORAGE)
      const owner = await run('invalidate', () => evaluate(CLUSTER_INVALIDATE, sessionKey(id), []))
      if (typeof owner === 'string' && owner !== '') {
        await run('invalidate', () => evaluate(CLUSTER_INDEX_REMOVE, indexKey(owner), [id, '']))
      }
    },

    async listOwner(owner) {
      checkOwner(owner)
      const listed = (await run('listOwner', () =>
        evaluate(CLUSTER_INDEX_LIST, indexKey(owner), []),
      )) as string[]
      const ids = listed.filter((_, i) => i % 2 === 0)
      const now = Date.now()
      const sessions: OwnedSession[] = []
      // Each session lives in its own slot: read them in groups, keeping those that still name the owner.
      for (let start = 0; start < ids.length; start += CLUSTER_WALK_GROUP) {
        const group = ids.slice(start, start + CLUSTER_WALK_GROUP)
        const rows = await Promise.all(
          group.map((id) => run('listOwner', () => context.readFields(sessionKey(id), LIST_FIELDS))),
        )
        rows.forEach(([data, version, expires, stored], i) => {
          const expiresAt = Number(expires) || 0
          if (data == null || stored !== owner || (expiresAt !== 0 && expiresAt <= now)) return
          sessions.push(ownedSession(group[i]!, data, version ?? '0', expires ?? '0'))
        })
      }
      return sessions
    },

    async invalidateOwner(owner) {
      checkOwner(owner)
      const index = indexKey(owner)
      const listed = (await run('invalidateOwner', () => evaluate(CLUSTER_INDEX_LIST, index, []))) as string[]
      let ended = 0
      // In groups, so an owner with thousands of sessions never floods the client.
      for (let start = 0; start < listed.length; start += CLUSTER_WALK_GROUP * 2) {
        const entries = listed.slice(start, start + CLUSTER_WALK_GROUP * 2)
        const ids = entries.filter((_, i) => i % 2 === 0)
        const results = await Promise.all(
          ids.map((id) =>
            run('invalidateOwner', () => evaluate(CLUSTER_END_IF_OWNER, sessionKey(id), [owner])),
          ),
        )
        ended += results.filter((result) => Number(result) === 1).length
        await run('invalidateOwner', () => evaluate(CLUSTER_INDEX_REMOVE, index, entries))
      }
      return ended
    },
  }
}
