import { utf8 } from '../encoding/utf8'
import { SessionError } from '../errors'
import type { Ed25519Verify } from './session-crypto'
import { loadNacl } from './tweetnacl'

const ED25519_KEY_BYTES = 32
const ED25519_SIGNATURE_BYTES = 64
/** L, the order of Ed25519's group (2^252 + 27742317777372353535851937790883648493), little-endian. */
const GROUP_ORDER = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]

/**
 * True for a 64-byte signature whose scalar S (bytes 32 to 63, little-endian) is below L, as RFC 8032
 * requires. tweetnacl accepts S + L as well, which would give one content a second valid token;
 * node:crypto and WebCrypto refuse it, and so does every path here. S is public: no constant time.
 */
function isCanonical(signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false
  for (let i = 31; i >= 0; i--) {
    const byte = signature[32 + i]!
    if (byte !== GROUP_ORDER[i]) return byte < GROUP_ORDER[i]!
  }
  return false
}

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
    return async (data, signature) =>
      isCanonical(signature) && subtle.verify('Ed25519', webKey, toBuffer(signature), utf8(data))
  }
  const nacl = await loadNacl()
  return (data, signature) =>
    isCanonical(signature) && nacl.sign.detached.verify(utf8(data), signature, keyBytes)
}
