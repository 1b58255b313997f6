import type { Awaitable } from '../awaitable'
import { SessionError } from '../errors'

/** Signs data with a prepared key and returns the tag as unpadded base64url. */
export type TagFunction = (data: string) => Awaitable<string>

/** An Ed25519 key pair prepared for signing. */
export interface Ed25519Signer {
  readonly publicKey: Uint8Array
  sign(data: string): Awaitable<Uint8Array>
}

/** Checks an Ed25519 signature with a prepared public key. */
export type Ed25519Verify = (data: string, signature: Uint8Array) => Awaitable<boolean>

/**
 * The primitives tessera needs from a runtime. Core ships {@link webCrypto} (WebCrypto, with tweetnacl
 * as the Ed25519 fallback); `@tessera/node` ships one on `node:crypto`. Both produce the same bytes.
 * Strings given to these functions are hashed or signed as UTF-8.
 */
export interface SessionCrypto {
  readonly name: string
  /** Cryptographically strong random bytes. */
  randomBytes(length: number): Uint8Array
  /** HKDF-SHA256 (RFC 5869). */
  hkdf(secret: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Awaitable<Uint8Array>
  /** Prepares an HMAC-SHA256 key once; the returned function tags data. */
  hmacSha256(key: Uint8Array): Awaitable<TagFunction>
  /** Prepares an Ed25519 key pair from a 32-byte seed (RFC 8032). */
  ed25519Signer(seed: Uint8Array): Awaitable<Ed25519Signer>
  /** Prepares an Ed25519 public key (32 bytes) for verification. */
  ed25519Verifier(publicKey: Uint8Array): Awaitable<Ed25519Verify>
  /**
   * Native base64url, when the runtime has one (Node's Buffer). Each function must give exactly what
   * core's portable ones give, refusals included: strict decoding (no padding, only the base64url
   * alphabet, no length of 1 modulo 4, zero trailing bits) and fatal UTF-8. Optional.
   */
  readonly base64url?: Base64urlCodec | undefined
}

/** base64url of bytes and of UTF-8 text; decoders return null for anything core's would refuse. */
export interface Base64urlCodec {
  encode(bytes: Uint8Array): string
  decode(text: string): Uint8Array | null
  /** base64url of the UTF-8 bytes of `text`. */
  encodeText(text: string): string
  /** The UTF-8 text of base64url `text`; null when either layer is invalid. */
  decodeText(text: string): string | null
}

/** Bytes of an Ed25519 public key, and of the seed a key pair is made from. */
export const ED25519_KEY_BYTES = 32

/**
 * Refuses (`INVALID_KEY`) anything but 32 bytes for an Ed25519 key: the one check of a key's size,
 * shared by every crypto implementation.
 *
 * @example assertEd25519Key(seed, 'seed')
 */
export function assertEd25519Key(bytes: Uint8Array, what: 'seed' | 'public key'): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ED25519_KEY_BYTES) {
    throw new SessionError('INVALID_KEY', `an Ed25519 ${what} must be ${ED25519_KEY_BYTES} bytes`)
  }
}
