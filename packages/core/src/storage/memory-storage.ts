import { SessionError } from '../errors'
import { assertKnownOptions, MEMORY_STORAGE_OPTIONS } from '../option-names'
import type { OwnedSession, SessionStorage, StorageWriteOptions, StoredSession } from './session-storage'

export interface MemoryStorageOptions {
  /**
   * Most entries kept; past it the least recently used entry is dropped (its user is signed out).
   * @default 100_000
   */
  readonly maxEntries?: number
  /** Clock in unix milliseconds, for tests. @default Date.now */
  readonly now?: () => number
}

interface Entry extends StoredSession {
  readonly owner: string | undefined
}

/** A {@link SessionStorage} that also reports its size, for tests and the benchmark. */
export interface MemoryStorage extends SessionStorage {
  readonly size: number
  clear(): void
}

/**
 * The embedded default storage: an in-process map with per-entry expiry and a bound on entries
 * (least recently used first out). Sessions do not survive a restart or reach other processes; use
 * Redis, PostgreSQL or a directory for that.
 *
 * @example createSessions({ secret, sessions: [cookie(Login, { storage: memoryStorage({ maxEntries: 10_000 }) })] })
 */
export function memoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  assertKnownOptions(options, MEMORY_STORAGE_OPTIONS, 'memoryStorage()')
  const maxEntries = options.maxEntries ?? 100_000
  if (!(maxEntries >= 1))
    throw new SessionError('INVALID_OPTION', 'memoryStorage maxEntries must be at least 1')
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  const owners = new Map<string, Set<string>>()

  const live = (id: string): Entry | undefined => {
    const entry = entries.get(id)
    if (entry && entry.expiresAt !== 0 && entry.expiresAt <= now()) {
      remove(id, entry)
      return undefined
    }
    return entry
  }

  const remove = (id: string, entry: Entry) => {
    entries.delete(id)
    if (entry.owner !== undefined) {
      const ids = owners.get(entry.owner)
      ids?.delete(id)
      if (ids?.size === 0) owners.delete(entry.owner)
    }
  }

  /** Drops a couple of the oldest entries when expired: cheap, steady cleanup without timers. */
  const sweep = () => {
    let checked = 0
    for (const [id, entry] of entries) {
      if (checked++ === 2) break
      if (entry.expiresAt !== 0 && entry.expiresAt <= now()) remove(id, entry)
    }
  }

  return {
    get size() {
      return entries.size
    },

    async read(id) {
      const entry = live(id)
      if (!entry) return null
      entries.delete(id)
      entries.set(id, entry)
      return { data: entry.data, version: entry.version, expiresAt: entry.expiresAt }
    },

    async write(id, data, { ttl, expectedVersion, owner }: StorageWriteOptions) {
      const current = live(id)
      if (expectedVersion !== undefined && (current?.version ?? null) !== expectedVersion) return null
      if (current) remove(id, current)
      const version = (current?.version ?? 0) + 1
      const entryOwner = owner ?? current?.owner
      entries.set(id, { data, version, expiresAt: ttl > 0 ? now() + ttl : 0, owner: entryOwner })
      if (entryOwner !== undefined) {
        const ids = owners.get(entryOwner)
        if (ids) ids.add(id)
        else owners.set(entryOwner, new Set([id]))
      }
      sweep()
      while (entries.size > maxEntries) {
        const [oldest, entry] = entries.entries().next().value as [string, Entry]
        remove(oldest, entry)
      }
      return version
    },

    async invalidate(id) {
      const entry = entries.get(id)
      if (entry) remove(id, entry)
    },

    async listOwner(owner) {
      const listed: OwnedSession[] = []
      for (const id of [...(owners.get(owner) ?? [])]) {
        const entry = live(id)
        if (entry) listed.push({ id, data: entry.data, version: entry.version, expiresAt: entry.expiresAt })
      }
      return listed
    },

    async invalidateOwner(owner) {
      const ids = owners.get(owner)
      if (!ids) return 0
      let count = 0
      for (const id of [...ids]) {
        // An entry past its expiry was already over: remove it, but do not count it as ended now.
        if (live(id)) {
          remove(id, entries.get(id)!)
          count++
        }
      }
      owners.delete(owner)
      return count
    },

    clear() {
      entries.clear()
      owners.clear()
    },
  }
}
