import { SessionError, type SessionStorage, type StoredSession } from '@tessera/core'
import { assertKnownOptions } from '@tessera/core/internal'
import { createKeyedLock } from '../storage-support/keyed-lock'
import { assertSessionId } from '../storage-support/session-id'
import { storageFailure, withTimeout } from '../storage-support/storage-failure'

type Callback<T = unknown> = (error?: unknown, value?: T) => void

/**
 * An express-session store, as express-session calls it: `get`, `set` and `destroy` with a
 * callback (connect-redis, connect-pg-simple, connect-mongo, express-session's `MemoryStore`...).
 * Declared here so the adapter needs no import of express-session.
 *
 * @example const store: ConnectStore = new session.MemoryStore()
 */
export interface ConnectStore {
  get(sid: string, callback: (error: any, session?: any) => void): unknown
  set(sid: string, session: any, callback?: (error?: any) => void): unknown
  destroy(sid: string, callback?: (error?: any) => void): unknown
}

/**
 * Options of {@link connectStoreStorage}.
 *
 * @example connectStoreStorage(new RedisStore({ client, prefix: 'app:' }), { timeout: 500 })
 */
export interface ConnectStoreStorageOptions {
  /**
   * Milliseconds a store call may take before the request gets `SessionError('STORAGE_UNAVAILABLE')`
   * (503) instead of waiting for a callback that may never come.
   * @default 1000
   */
  readonly timeout?: number | undefined
}

/**
 * What the adapter hands the store: an express-session session, its `cookie` carrying the expiry the
 * way stores read it (`expires`, `originalMaxAge`, `maxAge`), and tessera's entry beside it.
 */
interface StoreRecord {
  readonly cookie: {
    readonly originalMaxAge: number | null
    readonly maxAge: number | null
    readonly expires: Date | null
  }
  readonly tessera: { readonly data: string; readonly version: number; readonly expiresAt: number }
}

const STORAGE = 'connect-store'

/** The option names connectStoreStorage accepts; a new option is added here (see core's option-names.ts). */
const CONNECTSTORE_STORAGE_OPTIONS = ['timeout']

/**
 * Server-side sessions in any express-session store: a way to keep the store an app already runs
 * (connect-redis, connect-pg-simple, connect-mongo...) while moving to tessera. Within its limits:
 *
 * - compare-and-set holds within one process only (read, check and write of an id are queued there);
 *   across processes the store offers none, so two writes of one session at the same moment both
 *   succeed and the last one wins;
 * - no owner index: a write with an `owner`, sign out everywhere, and listing an owner's sessions
 *   (`engine.listSessions` and the by-handle operations) fail with `INVALID_OPERATION`;
 * - the TTL becomes the session's `cookie.expires` (and `originalMaxAge`), which stores turn into their
 *   own expiry; a TTL of 0 (no expiry) leaves `expires` null, and the store's default TTL applies. Reads
 *   treat an entry past its expiry as absent, whatever the store has deleted.
 *
 * @example
 * import { RedisStore } from 'connect-redis'
 * const storage = connectStoreStorage(new RedisStore({ client, prefix: 'sess:' }))
 * const sessions = createSessions({ secret, sessions: [cookie(Cart, { storage })] })
 */
export function connectStoreStorage(
  store: ConnectStore,
  options: ConnectStoreStorageOptions = {},
): SessionStorage {
  assertKnownOptions(options, CONNECTSTORE_STORAGE_OPTIONS, 'connectStoreStorage()')
  if (!store || ['get', 'set', 'destroy'].some((method) => typeof (store as any)[method] !== 'function')) {
    throw new SessionError('INVALID_OPTION', 'connectStoreStorage needs a store with get, set and destroy')
  }
  const timeout = options.timeout ?? 1000
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new SessionError(
      'INVALID_OPTION',
      'connectStoreStorage timeout must be a positive number of milliseconds',
    )
  }
  const lock = createKeyedLock()

  /**
   * One store call, its callback turned into a promise, within the timeout. A store whose method
   * returns a promise (connect-redis does) and rejects it without calling back fails the call too.
   */
  const call = async <T>(operation: string, start: (callback: Callback<T>) => unknown): Promise<T> => {
    const answer = new Promise<T>((resolve, reject) => {
      const returned = start((error, value) => (error ? reject(error) : resolve(value as T)))
      if (typeof (returned as Promise<unknown> | undefined)?.then === 'function') {
        ;(returned as Promise<unknown>).then(undefined, reject)
      }
    })
    try {
      return await withTimeout(answer, timeout, STORAGE, operation)
    } catch (error) {
      throw storageFailure(STORAGE, operation, error)
    }
  }

  const readEntry = async (id: string): Promise<StoredSession | null> => {
    const record = await call<unknown>('read', (done) => store.get(id, done))
    const entry = (record as Partial<StoreRecord> | null | undefined)?.tessera
    // Anything else under this id (an express-session app's own session) is not a tessera session.
    if (!entry || typeof entry.data !== 'string' || !Number.isInteger(entry.version)) return null
    const expiresAt = Number(entry.expiresAt) || 0
    if (expiresAt !== 0 && expiresAt <= Date.now()) return null
    return { data: entry.data, version: entry.version, expiresAt }
  }

  return {
    async read(id) {
      assertSessionId(id, STORAGE)
      return readEntry(id)
    },

    async write(id, data, { ttl, expectedVersion, owner }) {
      assertSessionId(id, STORAGE)
      if (owner !== undefined) {
        throw new SessionError(
          'INVALID_OPERATION',
          'connect-store storage keeps no owner index: remove the owner option of this session',
        )
      }
      return lock.run(id, async () => {
        const current = await readEntry(id)
        if (expectedVersion === null && current) return null
        if (typeof expectedVersion === 'number' && current?.version !== expectedVersion) return null
        const version = (current?.version ?? 0) + 1
        const lifetime = Math.max(0, Math.ceil(ttl))
        const expiresAt = lifetime > 0 ? Date.now() + lifetime : 0
        const record: StoreRecord = {
          cookie: {
            originalMaxAge: lifetime > 0 ? lifetime : null,
            maxAge: lifetime > 0 ? lifetime : null,
            expires: lifetime > 0 ? new Date(expiresAt) : null,
          },
          tessera: { data, version, expiresAt },
        }
        await call('write', (done) => store.set(id, record, done))
        return version
      })
    },

    async invalidate(id) {
      assertSessionId(id, STORAGE)
      await lock.run(id, () => call('invalidate', (done) => store.destroy(id, done)))
    },
  }
}
