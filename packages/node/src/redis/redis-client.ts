import { SessionError } from '@tessera/core'

/**
 * The commands the storage sends, as an ioredis client (`Redis` or `Cluster`) has them. Any object
 * with these methods works, so a test can wrap a client to count its round trips.
 *
 * @example redisStorage(new Cluster([{ host: '10.0.0.1', port: 6379 }], { enableOfflineQueue: false }))
 */
export interface RedisClient {
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>
  evalsha(sha: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>
  eval(script: string, numkeys: number, ...args: (string | number)[]): Promise<unknown>
  /** ioredis's options; a `keyPrefix` set there is honoured for the keys the scripts derive. */
  readonly options?: { readonly keyPrefix?: string | undefined } | undefined
  /** `true` on an ioredis `Cluster`. */
  readonly isCluster?: boolean | undefined
}

/**
 * The script options of node-redis (`keys`, `arguments`), as the storage passes them.
 *
 * @example client.evalSha(sha, { keys: ['tessera:abc'], arguments: ['data'] })
 */
export interface NodeRedisScriptOptions {
  keys: string[]
  arguments: string[]
}

/**
 * The commands the storage sends, as a node-redis 5 client (`createClient()` or `createCluster()`)
 * has them.
 *
 * @example redisStorage(await createClient({ disableOfflineQueue: true }).connect())
 */
export interface NodeRedisClient {
  hmGet(key: string, fields: string[]): Promise<unknown>
  evalSha(sha: string, options: NodeRedisScriptOptions): Promise<unknown>
  eval(script: string, options: NodeRedisScriptOptions): Promise<unknown>
  /** Present on a node-redis cluster (`createCluster()`). */
  getSlotMaster?: unknown
}

/** One client, whichever library: the three calls the storage makes, and what it must know of it. */
export interface RedisCommands {
  hmget(key: string, fields: readonly string[]): Promise<(string | null)[]>
  evalsha(sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown>
  eval(lua: string, keys: readonly string[], args: readonly string[]): Promise<unknown>
  /** The client's own key prefix (ioredis `keyPrefix`), '' when none. */
  readonly keyPrefix: string
  /** Whether keys may live on different nodes (Redis Cluster). */
  readonly cluster: boolean
}

const isFunction = (value: unknown): boolean => typeof value === 'function'

/**
 * Adapts an ioredis or a node-redis client, recognised by its methods (`evalsha` or `evalSha`),
 * standalone or cluster (`isCluster`, `getSlotMaster`).
 */
export function redisCommands(client: RedisClient | NodeRedisClient): RedisCommands {
  const candidate = client as Partial<RedisClient & NodeRedisClient> | null | undefined
  if (
    candidate &&
    isFunction(candidate.hmget) &&
    isFunction(candidate.evalsha) &&
    isFunction(candidate.eval)
  ) {
    const ioredis = client as RedisClient
    return {
      hmget: (key, fields) => ioredis.hmget(key, ...fields),
      evalsha: (sha, keys, args) => ioredis.evalsha(sha, keys.length, ...keys, ...args),
      eval: (lua, keys, args) => ioredis.eval(lua, keys.length, ...keys, ...args),
      keyPrefix: ioredis.options?.keyPrefix ?? '',
      cluster: ioredis.isCluster === true,
    }
  }
  if (
    candidate &&
    isFunction(candidate.hmGet) &&
    isFunction(candidate.evalSha) &&
    isFunction(candidate.eval)
  ) {
    const nodeRedis = client as NodeRedisClient
    return {
      hmget: (key, fields) => nodeRedis.hmGet(key, [...fields]) as Promise<(string | null)[]>,
      evalsha: (sha, keys, args) => nodeRedis.evalSha(sha, { keys: [...keys], arguments: [...args] }),
      eval: (lua, keys, args) => nodeRedis.eval(lua, { keys: [...keys], arguments: [...args] }),
      keyPrefix: '',
      cluster: isFunction(nodeRedis.getSlotMaster),
    }
  }
  throw new SessionError('INVALID_OPTION', 'redisStorage needs an ioredis or a node-redis client')
}
