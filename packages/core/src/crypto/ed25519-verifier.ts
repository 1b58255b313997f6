import { utf8 } from '../encoding/utf8'
import { SessionError } from '../errors'
import type { Ed25519Verify } from './session-crypto'

const ED25519_KEY_BYTES = 32
/** Copies into a fresh ArrayBuffer-backed array, which every WebCrypto implementation accepts. */
export const toBuffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

/**
 * Prepares an Ed25519 public key (32 bytes) for verification, on its own: what a browser needs to
 * read a signed session, without HKDF, HMAC or signing. WebCrypto verifies where the runtime knows
 * Ed25519; elsewhere (older browsers, or no `crypto.subtle` at all, as on plain-http pages) tweetnacl
 * does, imported on first need. A signature of the wrong size, or whose S is not below the group
 * order (a second encoding of a valid signature), verifies as false on either path.
 *
 * @example
 * const verify = await createEd25519Verifier(decodeBase64url(publicKey)!)
 * await verify(`cart\u0000${signedPart}`, signature) // true or false
 */
export async function createEd25519Verifier(publicKey: Uint8Array): Promise<Ed25519Verify> {
  if (publicKey.length !== ED25519_KEY_BYTES) {
    throw new SessionError('INVALID_KEY', 'an Ed25519 public key must be 32 bytes')
  }
  // Our own copy: the caller's array may change afterwards.
  const keyBytes = toBuffer(publicKey)
  const subtle = globalThis.crypto?.subtle
  let key: Awaited<ReturnType<SubtleCrypto['importKey']>> | undefined
  try {
    key = await subtle?.importKey('raw', keyBytes, 'Ed25519', false, ['verify'])
  } catch {
    // This WebCrypto has no Ed25519: tweetnacl below.
  }
  if (subtle && key) {
    const webKey = key
    // WebCrypto refuses a signature whose S is not below the group order itself (RFC 8032).
    return (data, signature) => subtle.verify('Ed25519', webKey, toBuffer(signature), utf8(data))
  }
  // tweetnacl, with the check of S it lacks: loaded together, on first need.
  const { naclVerify } = await import('./nacl-verifier')
  return (data, signature) => naclVerify(utf8(data), signature, keyBytes)
}
