import type { SessionCrypto } from './crypto/session-crypto'
import { encodeBase64url } from './encoding/base64url-encode'

/** What a session id may look like: safe as a file name, a Redis key and a SQL value. */
export const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/

/** Bytes of randomness in a default id: 128 bits. */
export const ID_BYTES = 16

/**
 * The default `identity`: 128 bits from the runtime's strong random source, base64url (22 characters).
 */
export function randomId(crypto: SessionCrypto): string {
  return encodeBase64url(crypto.randomBytes(ID_BYTES))
}
