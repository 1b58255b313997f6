import type { OwnedSession, SessionStorage, StoredSession } from '@tessera/core'

interface Entry extends StoredSession {
  readonly owner?: string | undefined
}

/**
 * A {@link SessionStorage} in the page's localStorage, for the offline mode: logins survive a reload
 * and are shared by the tabs of the origin (so "sign out everywhere" reaches the other tabs), with
 * compare-and-set and an owner index like the server storages. Tabs do not lock each other; a demo
 * can live with that, an app would not keep sessions in the browser anyway.
 *
 * @example const storage = localStorageStorage('tessera-playground:login:')
 */
export function localStorageStorage(prefix: string, now: () => number = Date.now): SessionStorage {
  const entryKey = (id: string) => `${prefix}id:${id}`
  const ownerKey = (owner: string) => `${prefix}owner:${owner}`

  const readJson = <T>(key: string): T | undefined => {
    const text = localStorage.getItem(key)
    if (text === null) return undefined
    try {
      return JSON.parse(text) as T
    } catch {
      return undefined
    }
  }
  const ownerIds = (owner: string) => readJson<string[]>(ownerKey(owner)) ?? []
  const setOwnerIds = (owner: string, ids: string[]) => {
    if (ids.length === 0) localStorage.removeItem(ownerKey(owner))
    else localStorage.setItem(ownerKey(owner), JSON.stringify(ids))
  }

  const remove = (id: string, entry: Entry | undefined) => {
    localStorage.removeItem(entryKey(id))
    if (entry?.owner !== undefined) {
      setOwnerIds(
        entry.owner,
        ownerIds(entry.owner).filter((each) => each !== id),
      )
    }
  }

  /** The entry, or undefined when there is none or it expired (then it is removed). */
  const live = (id: string): Entry | undefined => {
    const entry = readJson<Entry>(entryKey(id))
    if (entry && entry.expiresAt !== 0 && entry.expiresAt <= now()) {
      remove(id, entry)
      return undefined
    }
    return entry
  }

  return {
    async read(id) {
      const entry = live(id)
      return entry ? { data: entry.data, version: entry.version, expiresAt: entry.expiresAt } : null
    },

    async write(id, data, { ttl, expectedVersion, owner }) {
      const current = live(id)
      if (expectedVersion !== undefined && (current?.version ?? null) !== expectedVersion) return null
      const entryOwner = owner ?? current?.owner
      if (current?.owner !== undefined && current.owner !== entryOwner) remove(id, current)
      const entry: Entry = {
        data,
        version: (current?.version ?? 0) + 1,
        expiresAt: ttl > 0 ? now() + ttl : 0,
        owner: entryOwner,
      }
      localStorage.setItem(entryKey(id), JSON.stringify(entry))
      if (entryOwner !== undefined) {
        const ids = ownerIds(entryOwner)
        if (!ids.includes(id)) setOwnerIds(entryOwner, [...ids, id])
      }
      return entry.version
    },

    async invalidate(id) {
      remove(id, readJson<Entry>(entryKey(id)))
    },

    async listOwner(owner) {
      const listed: OwnedSession[] = []
      for (const id of ownerIds(owner)) {
        const entry = live(id)
        if (entry?.owner !== owner) continue
        listed.push({ id, data: entry.data, version: entry.version, expiresAt: entry.expiresAt })
      }
      return listed
    },

    async invalidateOwner(owner) {
      let ended = 0
      for (const id of ownerIds(owner)) {
        if (live(id)) ended++
        localStorage.removeItem(entryKey(id))
      }
      localStorage.removeItem(ownerKey(owner))
      return ended
    },
  }
}
