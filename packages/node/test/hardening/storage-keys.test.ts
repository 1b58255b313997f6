/**
 * Ids and owners given to the storages, fuzzed: hostile ids never become a file name, a key or a
 * statement (a typed `INVALID_VALUE` before any I/O); hostile owners land in the owner index as
 * exactly themselves, so signing one user out never touches another's sessions and no file or key
 * appears outside the storage's own place.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SESSION_ID } from '@tessera/core/internal'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSessionError, type SessionStorage } from '../../src'
import { directoryStorage } from '../../src/directory'
import { postgresStorage } from '../../src/postgres'
import { redisStorage } from '../../src/redis'
import {
  newId,
  POSTGRES,
  POSTGRES_PORT,
  REDIS_PORT,
  serverAvailable,
  uniqueSuffix,
} from '../storage/helpers/servers'
import { LONG } from './helpers/http'

const RUNS = LONG ? 2000 : 200
const redisUp = await serverAvailable('Redis', REDIS_PORT)
const postgresUp = await serverAvailable('PostgreSQL', POSTGRES_PORT)

const hostile = fc.oneof(
  fc.constantFrom(
    '../../etc/passwd',
    '..',
    '.',
    '',
    '/',
    'a/b/../../..',
    'C:\\Windows',
    'a\u0000b',
    '__proto__',
    'constructor',
    'x'.repeat(129),
    '*',
    '?',
    '[a-z]',
    '{tag}',
    'owner:x',
    'a b',
    'a\r\nDEL *',
    "'; DROP TABLE tessera_sessions; --",
    '$1',
    '🍪',
    '\ud800',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
)

const figures: Record<string, number> = {}
const count = (key: string) => {
  figures[key] = (figures[key] ?? 0) + 1
}
afterAll(() => console.log(`[hardening] storage ids and owners:\n${JSON.stringify(figures, null, 1)}`))

/** Every method with a hostile id: refused before any I/O unless it is a session id. */
async function idsRefused(storage: SessionStorage, label: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostile, async (id) => {
      const calls = [
        () => storage.read(id),
        () => storage.write(id, '{"json":1}', { ttl: 60_000 }),
        () => storage.invalidate(id),
      ]
      for (const call of calls) {
        const outcome = await call().then(
          () => 'done',
          (error: unknown) =>
            isSessionError(error, 'INVALID_VALUE') ? 'refused' : `failed: ${String(error)}`,
        )
        expect(outcome).toBe(SESSION_ID.test(id) ? 'done' : 'refused')
        count(`${label}: ids ${outcome}`)
      }
    }),
    { numRuns: RUNS },
  )
}

/**
 * What the engine lets through to a storage as an owner (it refuses the rest at `set`, see core's
 * hardening suite): 1 to 512 characters of well-formed text without control characters.
 */
const ENGINE_REFUSES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const engineOwner = (owner: string) => owner.length >= 1 && owner.length <= 512 && !ENGINE_REFUSES.test(owner)

/** Each hostile owner owns one session; signing each out ends exactly that one. */
async function ownersExact(storage: SessionStorage, label: string): Promise<string[]> {
  const owners = [...new Set(fc.sample(hostile, RUNS))].filter(engineOwner)
  const ids = owners.map(() => newId())
  for (const [i, owner] of owners.entries()) {
    await storage.write(ids[i]!, `{"json":${i}}`, { ttl: 60_000, owner })
  }
  for (const [i, owner] of owners.entries()) {
    expect(await storage.invalidateOwner!(owner)).toBe(1)
    expect(await storage.read(ids[i]!)).toBeNull()
    // The next owner's session is untouched until its own turn.
    if (i + 1 < ids.length) expect(await storage.read(ids[i + 1]!)).not.toBeNull()
    count(`${label}: owners signed out exactly`)
  }
  return owners
}

describe('directory storage', () => {
  let parent: string
  let root: string
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'tessera-hardening-'))
    root = join(parent, 'root')
  })
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true })
  })

  it(`${RUNS} hostile ids, ${RUNS} hostile owners: nothing outside the root, only session ids and owner hashes inside`, async () => {
    const storage = directoryStorage(root, { sweepInterval: false })
    try {
      await idsRefused(storage, 'directory')
      await ownersExact(storage, 'directory')
    } finally {
      storage.close()
    }
    expect(await readdir(parent)).toEqual(['root'])
    expect((await readdir(root)).sort()).toEqual(['owners', 'sessions'])
    for (const shard of await readdir(join(root, 'sessions'))) {
      expect(shard).toMatch(/^[A-Za-z0-9_-]{2}$/)
      for (const name of await readdir(join(root, 'sessions', shard))) expect(name).toMatch(SESSION_ID)
    }
    for (const hash of await readdir(join(root, 'owners'))) expect(hash).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe.runIf(redisUp)('Redis storage', () => {
  const redis = redisUp ? new Redis({ host: '127.0.0.1', port: REDIS_PORT, lazyConnect: true }) : undefined
  const prefix = `tessera-hardening-${uniqueSuffix()}:`
  afterAll(async () => {
    const keys = await redis!.keys(`${prefix}*`)
    if (keys.length > 0) await redis!.del(...keys)
    await redis!.quit()
  })

  it(`${RUNS} hostile ids, ${RUNS} hostile owners: every key is the prefix and a session id, or the owner index of an owner as given`, async () => {
    const storage = redisStorage(redis!, { prefix })
    await idsRefused(storage, 'redis')
    const before = new Set(await redis!.keys('*'))
    const owners = await ownersExact(storage, 'redis')
    // Signed out: nothing of theirs is left, and no key outside the prefix appeared.
    const after = await redis!.keys('*')
    for (const key of after) if (!before.has(key)) expect(key.startsWith(prefix)).toBe(true)
    for (const key of await redis!.keys(`${prefix}*`)) {
      const rest = key.slice(prefix.length)
      expect(SESSION_ID.test(rest) || owners.some((owner) => rest === `owner:${owner}`)).toBe(true)
    }
  })
})

describe.runIf(postgresUp)('PostgreSQL storage', () => {
  const pool = postgresUp ? new pg.Pool({ ...POSTGRES, max: 2 }) : undefined
  const table = `tessera_hardening_${uniqueSuffix()}`
  afterAll(async () => {
    await pool!.query(`DROP TABLE IF EXISTS ${table}`)
    await pool!.end()
  })

  it(`${RUNS} hostile ids, ${RUNS} hostile owners: refused or stored as values, the table intact`, async () => {
    const storage = postgresStorage(pool!, { table, sweepInterval: false })
    try {
      await idsRefused(storage, 'postgres')
      await ownersExact(storage, 'postgres')
    } finally {
      storage.close()
    }
    const { rows } = await pool!.query(`SELECT count(*)::int AS n FROM ${table}`)
    expect(rows[0].n).toBeGreaterThanOrEqual(0) // the table still exists and answers
  })
})
