import { utf8 } from '../encoding'
import { SessionError } from '../errors'
import type { SessionCrypto } from './session-crypto'

/** One key of a ring: an id that travels in tokens and a secret of at least 32 bytes. */
export interface SessionKey {
  /** 1 to 32 characters of `A-Z a-z 0-9 _ -`. */
  readonly id: string
  readonly secret: string | Uint8Array
}

/**
 * Where keys come from: one master secret (its key id is `"0"`), or a ring whose first key signs and
 * whose every key verifies, for rotation.
 */
export type KeyOptions =
  | { secret: string | Uint8Array; keys?: undefined }
  | { keys: readonly SessionKey[]; secret?: undefined }

/**
 * What each derived key is for; a key never serves two purposes or two sessions. `data-signed` and
 * `data-sealed` key the data tokens of `seal` and `sign`, per data purpose instead of per session.
 */
export type KeyPurpose = 'signed' | 'sealed' | 'ed25519' | 'data-signed' | 'data-sealed'

export interface NormalizedKey {
  readonly id: string
  readonly secret: Uint8Array
}

/** The key ring in use: `keys[0]` signs, all verify. */
export interface KeyRing {
  readonly keys: readonly NormalizedKey[]
}

export const MIN_SECRET_BYTES = 32
/** What a key id may look like: it travels in tokens, between dots. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/
/** HKDF salt, as text: encoded where it is used, so importing this module does no work. */
const HKDF_SALT = 'tessera/v1'

/** The key id a lone master secret gets. */
export const DEFAULT_KEY_ID = '0'

/**
 * Checks and normalises key options. Secrets shorter than 32 bytes, malformed or repeated key ids
 * and empty rings are a `SessionError('INVALID_KEY')`; the message never contains a secret. A
 * `Uint8Array` secret is copied: changing or zeroing the caller's array afterwards changes no key.
 *
 * @example
 * const ring = createKeyRing({ keys: [{ id: '2026-06', secret: newSecret }, { id: '2026-01', secret: oldSecret }] })
 */
export function createKeyRing(options: KeyOptions): KeyRing {
  const given: readonly SessionKey[] =
    options.keys ?? (options.secret === undefined ? [] : [{ id: DEFAULT_KEY_ID, secret: options.secret }])
  if (given.length === 0) throw new SessionError('INVALID_KEY', 'give a `secret` or a non-empty `keys` ring')
  const seen = new Set<string>()
  const keys = given.map(({ id, secret }) => {
    if (typeof id !== 'string' || !KEY_ID.test(id)) {
      throw new SessionError('INVALID_KEY', 'a key id must be 1 to 32 characters of A-Z a-z 0-9 _ -')
    }
    if (seen.has(id)) throw new SessionError('INVALID_KEY', `key id "${id}" appears twice in the ring`)
    seen.add(id)
    // Bytes are copied (not sliced: a Buffer's slice is a view): the caller may change or zero its
    // array later, and the keys must not follow.
    const bytes =
      typeof secret === 'string' ? utf8(secret) : secret instanceof Uint8Array ? new Uint8Array(secret) : null
    if (bytes === null || bytes.length < MIN_SECRET_BYTES) {
      throw new SessionError(
        'INVALID_KEY',
        `the secret of key "${id}" must be at least ${MIN_SECRET_BYTES} bytes (generate one with crypto.getRandomValues)`,
      )
    }
    return { id, secret: bytes }
  })
  return { keys }
}

/**
 * Derives the 32-byte key for one purpose of one session from a secret, with HKDF-SHA256:
 * salt `"tessera/v1"`, info `"<purpose>/<session name>"`.
 */
export function deriveKey(
  crypto: SessionCrypto,
  secret: Uint8Array,
  purpose: KeyPurpose,
  sessionName: string,
): ReturnType<SessionCrypto['hkdf']> {
  return crypto.hkdf(secret, utf8(HKDF_SALT), utf8(`${purpose}/${sessionName}`), 32)
}
