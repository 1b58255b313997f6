import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Duration, type OwnedSession, SessionError, type SessionStorage } from '@tessera/core'
import { assertKnownOptions, SESSION_ID } from '@tessera/core/internal'
import { createKeyedLock } from '../storage-support/keyed-lock'
import { assertSessionId } from '../storage-support/session-id'
import { storageFailure } from '../storage-support/storage-failure'
import { startSweeper } from '../storage-support/sweeper'
import { decodeSessionFile, encodeSessionFile, isExpired, type SessionFile } from './session-file'

/**
 * Options of {@link directoryStorage}.
 *
 * @example directoryStorage('/var/lib/my-app/sessions', { sweepInterval: '1h', durable: true })
 */
export interface DirectoryStorageOptions {
  /**
   * How often expired session files are deleted in the background, on an unref'd timer. `false`
   * turns the timer off (call `sweep()` from a job of your own). Expired sessions read as absent
   * either way; sweeping only reclaims disk.
   * @default '10m'
   */
  readonly sweepInterval?: Duration | false | undefined
  /**
   * fsync every file (and its folder) before it replaces the previous one, so a power loss cannot
   * leave an empty file behind. Costs a disk flush per write.
   * @default false
   */
  readonly durable?: boolean | undefined
  /** Clock in unix milliseconds, for tests. @default Date.now */
  readonly now?: (() => number) | undefined
}

/** A {@link SessionStorage} on a local directory, with its maintenance methods. */
export interface DirectoryStorage extends SessionStorage {
  /** The absolute path of the directory. */
  readonly root: string
  /**
   * Deletes expired and unreadable session files, temporary files left by a crash, and owner-index
   * entries of sessions that are gone. Returns how many session files it deleted.
   */
  sweep(): Promise<number>
  invalidateOwner(owner: string): Promise<number>
  /**
   * The live sessions of an owner, through the owner's folder of markers: one file read per session
   * the owner has, never a scan of the directory.
   */
  listOwner(owner: string): Promise<readonly OwnedSession[]>
  /** Stops the background sweep timer. Pending operations still complete. */
  close(): void
}

const STORAGE = 'directory'
/** Temporary files older than this are leftovers of a crashed write. */
const STALE_TEMP_MS = 60_000

/** The option names directoryStorage accepts; a new option is added here (see core's option-names.ts). */
const DIRECTORY_STORAGE_OPTIONS = ['sweepInterval', 'durable', 'now']

/**
 * Server-side sessions in a local directory, one file per session (Ktor's directory storage, made
 * safe): files sharded by the first two characters of the id, written atomically (a temporary file
 * in the same folder, then a rename), ids checked so no path can leave the root, versions and
 * expiry inside each file, compare-and-set serialised per id within the process, expired files
 * swept, and a per-owner index for signing a user out everywhere.
 *
 * One process per directory: compare-and-set is not atomic across processes (see docs/storage.md).
 *
 * @example
 * const storage = directoryStorage('/var/lib/my-app/sessions')
 * const sessions = createSessions({ secret, sessions: [cookie(Login, { storage })] })
 */
export function directoryStorage(root: string, options: DirectoryStorageOptions = {}): DirectoryStorage {
  assertKnownOptions(options, DIRECTORY_STORAGE_OPTIONS, 'directoryStorage()')
  if (typeof root !== 'string' || root === '') {
    throw new SessionError('INVALID_OPTION', 'directoryStorage needs the path of a directory')
  }
  const base = resolve(root)
  const sessionsDir = join(base, 'sessions')
  const ownersDir = join(base, 'owners')
  const now = options.now ?? Date.now
  const durable = options.durable ?? false
  const lock = createKeyedLock()
  /** Shard folders known to exist (at most 64 × 64), so a write costs no mkdir. */
  const shards = new Set<string>()

  const shardOf = (id: string) => join(sessionsDir, id.slice(0, 2))
  const ownerDirOf = (owner: string) => join(ownersDir, createHash('sha256').update(owner).digest('hex'))

  /** The stored file, expired or not; undefined when missing or unreadable. */
  async function load(id: string): Promise<SessionFile | undefined> {
    let text: string
    try {
      text = await readFile(join(shardOf(id), id), 'utf8')
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
    return decodeSessionFile(text)
  }

  async function ensureShard(dir: string): Promise<void> {
    if (shards.has(dir)) return
    await mkdir(dir, { recursive: true, mode: 0o700 })
    shards.add(dir)
  }

  /** Writes `content` to a temporary file in `dir`, then renames it over `dir/name`. */
  async function replaceFile(dir: string, name: string, content: string): Promise<void> {
    await ensureShard(dir)
    const temp = join(dir, `${name}.${randomBytes(6).toString('hex')}.tmp`)
    const handle = await open(temp, 'wx', 0o600).catch(async (error: unknown) => {
      if (!isMissing(error)) throw error
      shards.delete(dir) // the folder was removed behind our back
      await ensureShard(dir)
      return open(temp, 'wx', 0o600)
    })
    try {
      try {
        await handle.writeFile(content, 'utf8')
        if (durable) await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, join(dir, name))
    } catch (error) {
      await unlink(temp).catch(() => {})
      throw error
    }
    if (durable) await syncDir(dir)
  }

  async function addMarker(owner: string, id: string): Promise<void> {
    const dir = ownerDirOf(owner)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await writeFile(join(dir, id), '', { mode: 0o600 })
  }

  const removeMarker = (owner: string, id: string) => unlinkQuietly(join(ownerDirOf(owner), id))

  async function sweepSessions(): Promise<number> {
    let removed = 0
    for (const shard of await listQuietly(sessionsDir)) {
      const dir = join(sessionsDir, shard)
      for (const name of await listQuietly(dir)) {
        if (SESSION_ID.test(name)) {
          const file = await load(name)
          if (file && !isExpired(file, now())) continue
          removed += await lock.run(name, async () => {
            const again = await load(name)
            if (again && !isExpired(again, now())) return 0
            await unlinkQuietly(join(dir, name))
            if (again?.owner !== undefined) await removeMarker(again.owner, name)
            return 1
          })
        } else if (name.endsWith('.tmp')) {
          const info = await stat(join(dir, name)).catch(() => undefined)
          if (info && now() - info.mtimeMs > STALE_TEMP_MS) await unlinkQuietly(join(dir, name))
        }
      }
    }
    return removed
  }

  async function sweepOwners(): Promise<void> {
    for (const hash of await listQuietly(ownersDir)) {
      const dir = join(ownersDir, hash)
      for (const id of await listQuietly(dir)) {
        if (!SESSION_ID.test(id)) continue
        const file = await load(id)
        const live =
          file && !isExpired(file, now()) && file.owner !== undefined && ownerDirOf(file.owner) === dir
        if (!live) await unlinkQuietly(join(dir, id))
      }
      await rmdir(dir).catch(() => {})
    }
  }

  let sweeping: Promise<number> | undefined
  function sweep(): Promise<number> {
    sweeping ??= (async () => {
      try {
        const removed = await sweepSessions()
        await sweepOwners()
        return removed
      } catch (error) {
        throw storageFailure(STORAGE, 'sweep', error)
      } finally {
        sweeping = undefined
      }
    })()
    return sweeping
  }

  const stopSweeper = startSweeper(sweep, options.sweepInterval ?? '10m', STORAGE)

  return {
    root: base,

    async read(id) {
      assertSessionId(id, STORAGE)
      try {
        const file = await load(id)
        if (!file || isExpired(file, now())) return null
        return { data: file.data, version: file.version, expiresAt: file.expiresAt }
      } catch (error) {
        throw storageFailure(STORAGE, 'read', error)
      }
    },

    async write(id, data, { ttl, expectedVersion, owner }) {
      assertSessionId(id, STORAGE)
      try {
        return await lock.run(id, async () => {
          const stored = await load(id)
          const current = stored && !isExpired(stored, now()) ? stored : undefined
          if (expectedVersion !== undefined && (current?.version ?? null) !== expectedVersion) return null
          const nextOwner = owner ?? current?.owner
          const version = (current?.version ?? 0) + 1
          // The index entry goes first: a crash between the two leaves a stale entry (ignored),
          // never a session that sign-out-everywhere cannot find.
          if (nextOwner !== undefined && nextOwner !== current?.owner) await addMarker(nextOwner, id)
          const expiresAt = ttl > 0 ? now() + ttl : 0
          await replaceFile(
            shardOf(id),
            id,
            encodeSessionFile({ version, expiresAt, owner: nextOwner, data }),
          )
          if (stored?.owner !== undefined && stored.owner !== nextOwner) await removeMarker(stored.owner, id)
          return version
        })
      } catch (error) {
        throw storageFailure(STORAGE, 'write', error)
      }
    },

    async invalidate(id) {
      assertSessionId(id, STORAGE)
      try {
        await lock.run(id, async () => {
          const stored = await load(id).catch(() => undefined)
          await unlinkQuietly(join(shardOf(id), id))
          if (stored?.owner !== undefined) await removeMarker(stored.owner, id)
        })
      } catch (error) {
        throw storageFailure(STORAGE, 'invalidate', error)
      }
    },

    async listOwner(owner) {
      if (typeof owner !== 'string')
        throw new SessionError('INVALID_VALUE', 'directory storage: owner must be a string')
      try {
        const listed: OwnedSession[] = []
        // The owner's folder of markers: a file read per marker, never a scan of every session.
        for (const id of await listQuietly(ownerDirOf(owner))) {
          if (!SESSION_ID.test(id)) continue
          const stored = await load(id).catch(() => undefined)
          // A marker outlives its session until the sweep (or a sign-out) removes it: never listed.
          if (!stored || stored.owner !== owner || isExpired(stored, now())) continue
          listed.push({ id, data: stored.data, version: stored.version, expiresAt: stored.expiresAt })
        }
        return listed
      } catch (error) {
        throw storageFailure(STORAGE, 'listOwner', error)
      }
    },

    async invalidateOwner(owner) {
      if (typeof owner !== 'string')
        throw new SessionError('INVALID_VALUE', 'directory storage: owner must be a string')
      const dir = ownerDirOf(owner)
      try {
        let count = 0
        for (const id of await listQuietly(dir)) {
          if (!SESSION_ID.test(id)) continue
          count += await lock.run(id, async () => {
            const stored = await load(id).catch(() => undefined)
            let ended = 0
            if (stored?.owner === owner) {
              await unlinkQuietly(join(shardOf(id), id))
              ended = isExpired(stored, now()) ? 0 : 1
            }
            await unlinkQuietly(join(dir, id))
            return ended
          })
        }
        await rmdir(dir).catch(() => {})
        return count
      } catch (error) {
        throw storageFailure(STORAGE, 'invalidateOwner', error)
      }
    },

    sweep,
    close: stopSweeper,
  }
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT'
}

async function unlinkQuietly(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    if (!isMissing(error)) throw error
  }
}

async function listQuietly(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    if (isMissing(error)) return []
    throw error
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
