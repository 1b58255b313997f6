import type { SessionCrypto } from '../crypto/session-crypto'
import { encodeBase64url } from '../encoding'
import { InvalidReason, isSessionError, SessionError } from '../errors'
import { assertValue, checkValue, encodeValue, readValue } from '../session-rules'
import type { Claims } from '../wire/token'
import type { Binding } from './binding'

/*
 * Server-stored sessions: their ids, the entry the engine keeps in a storage, compare-and-set writes
 * with merging, owners, and the errors of a storage.
 */

/** What a session id may look like: safe as a file name, a Redis key and a SQL value. */
export const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/

/**
 * The default `identity`: 128 bits from the runtime's strong random source, base64url (22 characters).
 *
 * @example randomId(webCrypto) // 'q3oNd0p4dBDpPZrzI1Hfsg'
 */
export function randomId(crypto: SessionCrypto): string {
  return encodeBase64url(crypto.randomBytes(16))
}

/** A failure of the storage, with a message that carries no id and no value. */
export function storageError(session: string, cause: unknown): SessionError {
  if (isSessionError(cause)) return cause
  const summary = cause instanceof Error ? cause.name : 'error'
  return new SessionError('STORAGE_UNAVAILABLE', `session "${session}": the storage failed (${summary})`, {
    cause,
    session,
  })
}

/** Runs a storage call, turning any rejection into `STORAGE_UNAVAILABLE`. */
export async function storageCall<T>(binding: Binding, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (cause) {
    throw storageError(binding.name, cause)
  }
}

/** Milliseconds a storage entry should live for a token with these claims (0: no expiry). */
export function ttlMillis(claims: Claims, now: number): number {
  return claims.exp === 0 ? 0 : Math.max(claims.exp - now, 1) * 1000
}

/** Most characters of an owner: a user id, an email, a tenant-qualified id all fit. */
export const MAX_OWNER_LENGTH = 512
/**
 * Control characters, and lone surrogates: storages write owners as UTF-8, where every lone surrogate
 * becomes U+FFFD, so two different owners would share one index entry.
 */
const OWNER_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Checks an owner before it reaches a storage's index (a Redis key, a file name hash, a SQL value):
 * a string of 1 to {@link MAX_OWNER_LENGTH} characters without control characters or lone surrogates. Anything else is
 * `INVALID_VALUE`, naming the session but never the owner.
 */
export function assertOwner(owner: unknown, session: string): asserts owner is string {
  if (
    typeof owner !== 'string' ||
    owner === '' ||
    owner.length > MAX_OWNER_LENGTH ||
    OWNER_UNSAFE.test(owner)
  ) {
    throw new SessionError(
      'INVALID_VALUE',
      `session "${session}": an owner must be 1 to ${MAX_OWNER_LENGTH} characters of well-formed text without control characters`,
      { session },
    )
  }
}

/** The owner of a value to store, checked; undefined when the session names none. */
function ownerOf(binding: Binding, value: unknown): string | undefined {
  const owner = binding.owner?.(value)
  if (owner !== undefined) assertOwner(owner, binding.name)
  return owner
}

export function conflict(binding: Binding, why: string): SessionError {
  return new SessionError('CONFLICT', `session "${binding.name}": ${why}`, { session: binding.name })
}

/** What {@link storeValue} wrote. */
export interface Stored {
  readonly version: number
  readonly value: unknown
  readonly text: string
}

/**
 * Writes a server-stored session with compare-and-set (`expectedVersion` null: only if absent). On a
 * conflict, a `merge` function (when given) combines this request's value with the one stored
 * meanwhile, up to `maxRetries` attempts; without one, or when the entry vanished meanwhile (signed
 * out, expired: it is never brought back), the result is `CONFLICT`.
 */
export async function storeValue(
  binding: Binding,
  write: {
    id: string
    value: unknown
    text: string
    expectedVersion: number | null
    claims: Claims
    /** The session's own end, when it has one (kept in the entry). */
    end: number | undefined
    /** The app's labels of the session, kept in the entry. */
    meta: SessionMetadata | undefined
    /** When the session was last seen; `now` unless an admin's write must not count as the user's. */
    seen?: number | undefined
    now: number
  },
): Promise<Stored> {
  const storage = binding.storage!
  let { value, text, expectedVersion } = write
  for (let attempt = 1; ; attempt++) {
    // Outside storageCall: a bad owner is the app's error (INVALID_VALUE), not the storage's.
    const owner = ownerOf(binding, value)
    const data = writeEntry({
      iat: write.claims.iat,
      end: write.end,
      seen: write.seen ?? write.now,
      meta: write.meta,
      text,
    })
    const version = await storageCall(binding, () =>
      storage.write(write.id, data, { ttl: ttlMillis(write.claims, write.now), expectedVersion, owner }),
    )
    if (version !== null) return { version, value, text }
    if (!binding.merge || attempt >= binding.maxRetries) {
      throw conflict(
        binding,
        'another request changed the session first; re-read and retry (or give a merge function)',
      )
    }
    const theirs = await storageCall(binding, () => storage.read(write.id))
    if (!theirs) throw conflict(binding, 'the session ended while this request was changing it')
    const theirText = entryText(theirs.data)
    const their = theirText === undefined ? undefined : await readValue(binding.descriptor, theirText)
    const merged = binding.merge(write.value, their?.ok ? their.value : null)
    assertValue(binding.name, merged, 'merge returned no value')
    value = await checkValue(binding.descriptor, merged)
    text = await encodeValue(binding.descriptor, value)
    expectedVersion = theirs.version
  }
}

/*
 * What the engine keeps in a storage's `data` for a server-stored session: one JSON line with what
 * the session's lifetime needs, then the codec's text untouched.
 *
 *     {"tessera":"entry/1","iat":1800000000}\n{"json":{"user":"ada"}}
 *
 * The storage holds it as an opaque string, so every storage keeps its contract and its schema. What
 * lifetime needs comes from here, never from the token, which a `none` session's client can rewrite.
 * Later fields are more keys on the line: `end`, the end of a session given its own lifetime; `seen`,
 * when it was last written or renewed; `meta`, the labels the app attached (a device, say).
 */

/** Format marker of the line; a reader refuses a format it does not know. */
const ENTRY_FORMAT = 'entry/1'
/** How every entry written by the engine begins; data that does not is of the older shape. */
const ENTRY_START = '{"tessera":"entry/'

/** A stored session as the engine reads it back. */
export interface StoredEntry {
  /** When the session began (unix seconds): its absolute limit counts from here. */
  readonly iat: number
  /**
   * The end (unix seconds) of a session given its own lifetime (`set(D, value, { maxAge })`): it
   * replaces the descriptor's expiry. Undefined when the descriptor's expiry applies.
   */
  readonly end?: number | undefined
  /** When the session was last written or renewed (unix seconds); undefined before this was kept. */
  readonly seen?: number | undefined
  /** What the app attached to the session (`set(D, value, { metadata })`): a device label, say. */
  readonly meta?: SessionMetadata | undefined
  /** The codec's text of the value. */
  readonly text: string
}

/** Labels an app attaches to a server-stored session, listed on a devices page. */
export type SessionMetadata = Readonly<Record<string, string>>

/** Most labels of a session's metadata, and most characters of a label's name and of its value. */
export const METADATA_LIMITS = { entries: 16, name: 64, value: 512 } as const

/** The `data` to store for a session that began at `iat` and holds the codec's `text`. */
export function writeEntry({ iat, end, seen, meta, text }: StoredEntry): string {
  // JSON.stringify leaves out the fields that are undefined.
  return `${JSON.stringify({ tessera: ENTRY_FORMAT, iat, end, seen, meta })}\n${text}`
}

/**
 * True for metadata within {@link METADATA_LIMITS}: a plain object of string labels, each name 1 to
 * 64 characters and each value at most 512.
 */
export function isMetadata(meta: unknown): meta is SessionMetadata {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return false
  const entries = Object.entries(meta)
  return (
    entries.length <= METADATA_LIMITS.entries &&
    entries.every(
      ([name, value]) =>
        name.length >= 1 &&
        name.length <= METADATA_LIMITS.name &&
        typeof value === 'string' &&
        value.length <= METADATA_LIMITS.value,
    )
  )
}

/**
 * Reads a stored entry: the start and the codec's text, or why the session cannot be used.
 * `DECODE_FAILED` for data this engine cannot read; `EXPIRED` once the absolute limit, counted from
 * the stored start, has passed, whatever the token claims.
 *
 * An entry of the older shape (the codec's text alone, written before entries had a line of their
 * own) has no start: it takes the token's where the token's claims are signed, and the next write
 * records it. A `none` token's claims are the client's to rewrite, so such an entry is refused.
 */
export function readEntry(
  binding: Binding,
  data: string,
  token: { readonly iat: number },
  now: number,
): StoredEntry | InvalidReason {
  const entry = data.startsWith(ENTRY_START)
    ? parseEntry(data)
    : binding.descriptor.protection === 'signed'
      ? { iat: token.iat, text: data }
      : undefined
  if (entry === undefined) return InvalidReason.DECODE_FAILED
  if (entry.end !== undefined) return now >= entry.end ? InvalidReason.EXPIRED : entry
  if (binding.absolute !== null && now >= entry.iat + binding.absolute) return InvalidReason.EXPIRED
  return entry
}

/** A stored entry of either shape: undefined for the older one (no line) or one that cannot be read. */
export function entryLine(data: string): StoredEntry | undefined {
  return data.startsWith(ENTRY_START) ? parseEntry(data) : undefined
}

/** Just the codec's text of a stored entry (of either shape); undefined when it cannot be read. */
export function entryText(data: string): string | undefined {
  return data.startsWith(ENTRY_START) ? parseEntry(data)?.text : data
}

function parseEntry(data: string): StoredEntry | undefined {
  const newline = data.indexOf('\n')
  if (newline < 0) return undefined
  let line: unknown
  try {
    line = JSON.parse(data.slice(0, newline))
  } catch {
    return undefined
  }
  const { tessera, iat, end, seen, meta } = (line ?? {}) as Record<string, unknown>
  if (tessera !== ENTRY_FORMAT || !isSeconds(iat)) return undefined
  if (end !== undefined && !isSeconds(end)) return undefined
  if (seen !== undefined && !isSeconds(seen)) return undefined
  if (meta !== undefined && !isMetadata(meta)) return undefined
  return { iat, end, seen, meta, text: data.slice(newline + 1) }
}

const isSeconds = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
