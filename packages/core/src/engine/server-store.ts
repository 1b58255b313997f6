import { isSessionError, SessionError } from '../errors'
import type { Claims } from '../wire/token'
import type { Binding } from './binding'
import { assertValue, decodeValue, encodeValue, validateValue } from './session-values'
import { entryText, writeEntry } from './stored-entry'

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
    now: number
  },
): Promise<Stored> {
  const storage = binding.storage!
  let { value, text, expectedVersion } = write
  for (let attempt = 1; ; attempt++) {
    // Outside storageCall: a bad owner is the app's error (INVALID_VALUE), not the storage's.
    const owner = ownerOf(binding, value)
    const data = writeEntry({ iat: write.claims.iat, text })
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
    const theirValue = theirText === undefined ? undefined : await decodeValue(binding, theirText)
    const merged = binding.merge(write.value, theirValue === undefined ? null : theirValue)
    assertValue(binding, merged, 'merge returned no value')
    value = await validateValue(binding, merged)
    text = await encodeValue(binding, value)
    expectedVersion = theirs.version
  }
}
