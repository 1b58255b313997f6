import { utf8 } from '../encoding/utf8'
import { SessionError } from '../errors'
import type { Ed25519Verify } from './session-crypto'
import { loadNacl } from './tweetnacl'

const ED25519_KEY_BYTES = 32
const ED25519_SIGNATURE_BYTES = 64

/** Copies into a fresh ArrayBuffer-backed array, which every WebCrypto implementation accepts. */
export const toBuffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

/**
 * Prepares an Ed25519 public key (32 bytes) for verification, on its own: what a browser needs to
 * read a signed session, without HKDF, HMAC or signing. WebCrypto verifies where the runtime knows
 * Ed25519; elsewhere (older browsers, or no `crypto.subtle` at all, as on plain-http pages) tweetnacl
 * does, imported on first need. A signature of the wrong size verifies as false on either path.
 *
 * @example
 * const verify = await createEd25519Verifier(decodeBase64url(publicKey)!)
 * await verify(`cart\u0000${signedPart}`, signature) // true or false
 */
export async function createEd25519Verifier(publicKey: Uint8Array): Promise<Ed25519Verify> {
  if (publicKey.length !== ED25519_KEY_BYTES) {
    throw new SessionError('INVALID_KEY', 'an Ed25519 public key must be 32 bytes')
  }
  const subtle = globalThis.crypto?.subtle
  let key: Awaited<ReturnType<SubtleCrypto['importKey']>> | undefined
  try {
    key = await subtle?.importKey('raw', toBuffer(publicKey), 'Ed25519', false, ['verify'])
  } catch {
    // This WebCrypto has no Ed25519: tweetnacl below.
  }
  if (subtle && key) {
    const webKey = key
    return (data, signature) => subtle.verify('Ed25519', webKey, toBuffer(signature), utf8(data))
  }
  const nacl = await loadNacl()
  return (data, signature) =>
    signature.length === ED25519_SIGNATURE_BYTES &&
    nacl.sign.detached.verify(utf8(data), signature, publicKey)
}
