export type { NodeRedisClient, NodeRedisScriptOptions, RedisClient } from './redis-client'
export type { RedisStorage, RedisStorageOptions } from './redis-storage'
export { redisStorage } from './redis-storage'
