import { createHash } from 'node:crypto'

/**
 * The Lua scripts of the Redis storage. A session is one hash at `<prefix><id>`: `data` (the codec's
 * text), `version` (1, 2, ...), `expires` (unix ms by the Redis clock, 0 for never) and `owner`
 * (absent when none). The hash carries the session's TTL (`PEXPIRE`), so Redis drops it on time.
 *
 * A user's sessions are listed in the sorted set `<prefix>owner:<owner>`: member the id, score a time
 * after which the entry may go (the session's expiry plus {@link INDEX_MARGIN_MS}, `inf` for a session
 * that never expires). Entries past their score are dropped by every script that adds one, and the
 * set's own TTL is its highest score, so the index never outgrows the sessions it lists.
 *
 * On one Redis node (standalone, replicas, Sentinel) each operation is one script that touches the
 * session and its owner's set atomically. On Redis Cluster the two live in different slots, so each
 * script touches one key only and the storage runs them in turn (see redis-storage.ts); the pieces
 * of Lua below are shared by both, so the two modes cannot drift apart.
 */
export interface RedisScript {
  readonly lua: string
  readonly sha: string
}

/**
 * How long an owner-index entry outlives its session's expiry. On a cluster the entry is raised
 * after the session is written, on another node: the margin covers that gap and the nodes' clock
 * difference, so an entry is never dropped while its session lives.
 */
export const INDEX_MARGIN_MS = 60_000

function script(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') }
}

/** Now, in unix ms by the Redis clock. */
const NOW = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`

/**
 * Records `id` in the owner index `index` until `expires` (0: forever) plus the margin; the score
 * only ever rises. Drops entries whose score passed and keeps the set's TTL at its highest score.
 */
const INDEX_ADD_FN = `
local function index_add(index, id, expires, now, margin)
  local score = 'inf'
  if expires > 0 then score = string.format('%d', expires + margin) end
  redis.call('ZADD', index, 'GT', score, id)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%d', now))
  local top = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')[2]
  if top == 'inf' then redis.call('PERSIST', index) else redis.call('PEXPIREAT', index, top) end
end
`

/**
 * Compare-and-set write of the session hash KEYS[1]. ARGV: data, ttl ms (0: never), expected
 * version ('': unconditional, '0': only when absent), owner ('': keep). Leaves `version`, `owner`
 * (given or kept, false when none), `previous` (the owner before) and `expires` for the caller's tail;
 * returns nil when the expected version did not match.
 */
const SESSION_WRITE = `
${NOW}
local key = KEYS[1]
local current = redis.call('HMGET', key, 'version', 'owner')
local version = tonumber(current[1]) or 0
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= version then return false end
local previous = current[2]
local owner = ARGV[4]
if owner == '' then owner = previous end
local ttl = tonumber(ARGV[2])
local now = now_ms()
local expires = 0
if ttl > 0 then expires = now + ttl end
version = version + 1
redis.call('HSET', key, 'data', ARGV[1], 'version', version, 'expires', expires)
if owner then redis.call('HSET', key, 'owner', owner) end
if ttl > 0 then redis.call('PEXPIRE', key, ttl) else redis.call('PERSIST', key) end
`

/**
 * One node. KEYS[1]: the session. ARGV 1-4 as in the write above, then the owner-index prefix, the
 * id and the index margin. Writes the session and moves its index entry, atomically; returns the
 * new version, or nil on a version mismatch.
 */
export const WRITE = script(`
${INDEX_ADD_FN}
${SESSION_WRITE}
if previous and previous ~= owner then redis.call('ZREM', ARGV[5] .. previous, ARGV[6]) end
if owner then index_add(ARGV[5] .. owner, ARGV[6], expires, now, tonumber(ARGV[7])) end
return version
`)

/** One node. KEYS[1]: the session. ARGV: owner-index prefix, id. Deletes the session and its index entry. */
export const INVALIDATE = script(`
local owner = redis.call('HGET', KEYS[1], 'owner')
redis.call('DEL', KEYS[1])
if owner then redis.call('ZREM', ARGV[1] .. owner, ARGV[2]) end
return 1
`)

/**
 * One node. KEYS[1]: the owner's index. ARGV: owner, session-key prefix. Deletes every listed session
 * that still belongs to the owner (an id whose session moved to another owner is left alone), then
 * the index. Returns how many sessions it deleted.
 */
export const INVALIDATE_OWNER = script(`
local count = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local key = ARGV[2] .. id
  if redis.call('HGET', key, 'owner') == ARGV[1] then
    redis.call('DEL', key)
    count = count + 1
  end
end
redis.call('DEL', KEYS[1])
return count
`)

/**
 * One node. KEYS[1]: the owner's index. ARGV: owner, session-key prefix. Drops index entries whose
 * score passed, then returns `{id, data, version, expires, ...}` for each listed session that lives
 * and still names the owner: one atomic read of the owner's sessions.
 */
export const LIST_OWNER = script(`
${NOW}
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now))
local listed = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local fields = redis.call('HMGET', ARGV[2] .. id, 'data', 'version', 'expires', 'owner')
  local expires = tonumber(fields[3] or '0') or 0
  if fields[1] and fields[4] == ARGV[1] and (expires == 0 or expires > now) then
    table.insert(listed, id)
    table.insert(listed, fields[1])
    table.insert(listed, fields[2])
    table.insert(listed, fields[3] or '0')
  end
end
return listed
`)

/**
 * Cluster, the session's slot. KEYS[1]: the session; ARGV as {@link SESSION_WRITE}. Returns nil on a
 * version mismatch, else `{version, owner or '', expires}` for the index step that follows.
 */
export const CLUSTER_WRITE = script(`
${SESSION_WRITE}
return {version, owner or '', tostring(expires)}
`)

/** Cluster, the owner's slot. KEYS[1]: the owner's index. ARGV: id, expires (0: never), margin. */
export const CLUSTER_INDEX_ADD = script(`
${NOW}
${INDEX_ADD_FN}
index_add(KEYS[1], ARGV[1], tonumber(ARGV[2]), now_ms(), tonumber(ARGV[3]))
return 1
`)

/** Cluster, the session's slot. KEYS[1]: the session. Deletes it; returns its owner, '' when none. */
export const CLUSTER_INVALIDATE = script(`
local owner = redis.call('HGET', KEYS[1], 'owner')
redis.call('DEL', KEYS[1])
return owner or ''
`)

/**
 * Cluster, the owner's slot. KEYS[1]: the owner's index. Drops entries whose score passed, then
 * returns the rest as `{id, score, id, score, ...}`.
 */
export const CLUSTER_INDEX_LIST = script(`
${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now_ms()))
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
`)

/**
 * Cluster, a session's slot. KEYS[1]: the session. ARGV: owner. Deletes the session when it still
 * belongs to that owner; returns 1 when it did, else 0.
 */
export const CLUSTER_END_IF_OWNER = script(`
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`)

/**
 * Cluster, the owner's slot. KEYS[1]: the owner's index. ARGV: pairs of id and score; removes each id
 * whose score is still the one given ('': whatever it is), so an entry raised meanwhile by a write
 * stays. Deletes the set once empty.
 */
export const CLUSTER_INDEX_REMOVE = script(`
for i = 1, #ARGV, 2 do
  local id, score = ARGV[i], ARGV[i + 1]
  if score == '' or redis.call('ZSCORE', KEYS[1], id) == score then redis.call('ZREM', KEYS[1], id) end
end
return 1
`)
