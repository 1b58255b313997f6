import { createHash } from 'node:crypto'

/**
 * The Lua scripts of the Redis storage. A session is one hash at `<prefix><id>`:
 * `data` (the codec's text), `version` (1, 2, ...), `expires` (unix ms by the Redis clock, 0 for
 * never) and `owner` (absent when none). The hash carries the session's TTL (`PEXPIRE`), so Redis
 * drops it on time. A user's sessions are listed in the set `<prefix>owner:<owner>`, whose TTL is kept
 * at least as long as its longest-lived member's.
 *
 * Every script runs atomically; each is one round trip (`EVALSHA`, `EVAL` once after a Redis restart).
 * Scripts reach keys they derive (old owner sets, session keys listed in a set), which standalone
 * Redis and Sentinel allow and Redis Cluster does not.
 */
export interface RedisScript {
  readonly lua: string
  readonly sha: string
}

function script(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') }
}

/**
 * Compare-and-set write. KEYS[1]: the session. ARGV: data, ttl ms (0: never), expected version ('':
 * unconditional, '0': only when absent), owner ('': keep), owner-key prefix, id, session-key prefix.
 * Returns the new version, or nil when the expected version did not match.
 */
export const WRITE = script(`
local key = KEYS[1]
local current = redis.call('HMGET', key, 'version', 'owner')
local version = tonumber(current[1]) or 0
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= version then return false end
local previous = current[2]
local owner = ARGV[4]
if owner == '' then owner = previous end
local ttl = tonumber(ARGV[2])
local expires = 0
if ttl > 0 then
  local now = redis.call('TIME')
  expires = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + ttl
end
version = version + 1
redis.call('HSET', key, 'data', ARGV[1], 'version', version, 'expires', expires)
if ttl > 0 then redis.call('PEXPIRE', key, ttl) else redis.call('PERSIST', key) end
if previous and previous ~= owner then redis.call('SREM', ARGV[5] .. previous, ARGV[6]) end
if owner then
  redis.call('HSET', key, 'owner', owner)
  local set = ARGV[5] .. owner
  local left = redis.call('PTTL', set)
  redis.call('SADD', set, ARGV[6])
  if ttl == 0 then
    redis.call('PERSIST', set)
  elseif left == -2 or (left >= 0 and left < ttl) then
    redis.call('PEXPIRE', set, ttl)
  end
  for _, member in ipairs(redis.call('SRANDMEMBER', set, 2)) do
    if member ~= ARGV[6] and redis.call('EXISTS', ARGV[7] .. member) == 0 then redis.call('SREM', set, member) end
  end
end
return version
`)

/** KEYS[1]: the session. ARGV: owner-key prefix, id. Deletes the session and its owner-index entry. */
export const INVALIDATE = script(`
local owner = redis.call('HGET', KEYS[1], 'owner')
redis.call('DEL', KEYS[1])
if owner then redis.call('SREM', ARGV[1] .. owner, ARGV[2]) end
return 1
`)

/**
 * KEYS[1]: the owner's set. ARGV: owner, session-key prefix. Deletes every listed session that still
 * belongs to the owner (an id whose session moved to another owner is left alone), then the set.
 * Returns how many sessions it deleted.
 */
export const INVALIDATE_OWNER = script(`
local count = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[2] .. id
  if redis.call('HGET', key, 'owner') == ARGV[1] then
    redis.call('DEL', key)
    count = count + 1
  end
end
redis.call('DEL', KEYS[1])
return count
`)
