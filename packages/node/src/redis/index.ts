export type { RedisClient, RedisStorage, RedisStorageOptions } from './redis-storage'
export { redisStorage } from './redis-storage'
