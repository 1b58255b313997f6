/** A stored session as a storage returns it. */
export interface StoredSession {
  /**
   * What the engine wrote, returned exactly: its entry (a line with the session's start, then the
   * codec's text). Opaque to the storage.
   */
  readonly data: string
  /** Starts at 1 and grows with every write; compare-and-set compares it. */
  readonly version: number
  /** Unix milliseconds after which the entry no longer exists; 0 for never. */
  readonly expiresAt: number
}

/** A live stored session of an owner, as {@link SessionStorage.listOwner} returns it. */
export interface OwnedSession extends StoredSession {
  /** The storage's id of the session (what `read`, `write` and `invalidate` take). */
  readonly id: string
}

export interface StorageWriteOptions {
  /** Milliseconds until the entry expires; 0 for never. */
  readonly ttl: number
  /**
   * Compare-and-set: write only if the stored version equals this number, or, when null, only if no
   * entry exists (an expired entry counts as absent). Undefined writes unconditionally.
   */
  readonly expectedVersion?: number | null | undefined
  /**
   * The user this session belongs to, for storages that keep a per-user index (sign out everywhere).
   * Undefined keeps the owner already stored.
   */
  readonly owner?: string | undefined
}

/**
 * Where server-side sessions live. Every method may reject when the backing service fails; the
 * engine turns that into `SessionError('STORAGE_UNAVAILABLE')`.
 *
 * Ids reach a storage only after the engine checked them (`A-Z a-z 0-9 _ -`, 8 to 128 characters).
 */
export interface SessionStorage {
  /** The entry, or null when there is none or it expired. */
  read(id: string): Promise<StoredSession | null>
  /**
   * Writes an entry and returns its new version, or null when `expectedVersion` did not match (a
   * concurrent write won). A storage without compare-and-set may ignore `expectedVersion`.
   */
  write(id: string, data: string, options: StorageWriteOptions): Promise<number | null>
  /** Removes an entry; removing a missing entry is not an error. */
  invalidate(id: string): Promise<void>
  /** Ends every session written with `owner` (sign out everywhere); returns how many live ones ended. Optional. */
  invalidateOwner?(owner: string): Promise<number>
  /**
   * The live sessions whose last write named `owner` (a devices page), in any order; expired entries
   * and entries since moved to another owner are never listed. Optional: without it the engine's
   * `listSessions`, `readSession`, `replaceSession` and `endSession` throw `INVALID_OPERATION`.
   */
  listOwner?(owner: string): Promise<readonly OwnedSession[]>
}
