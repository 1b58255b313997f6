import nacl from './nacl'

/*
 * Ed25519 verification by tweetnacl, for runtimes whose WebCrypto has no Ed25519. ./ed25519-verifier
 * imports this module on first need, with tweetnacl: a page whose WebCrypto verifies loads neither
 * (the browser's read path stays within its size budget). It imports nothing else of core, so a
 * bundler splits no shared chunk off the read path for it.
 */

const ED25519_SIGNATURE_BYTES = 64
/** L, the order of Ed25519's group: a signature's scalar S must be below it (RFC 8032). */
const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n

/**
 * True for a 64-byte signature whose scalar S (bytes 32 to 63, little-endian) is below L. tweetnacl
 * also accepts S + L, which would give one content a second valid token; node:crypto and WebCrypto
 * refuse it. S is public: no constant time needed.
 */
function isCanonical(signature: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false
  let scalar = 0n
  for (let i = ED25519_SIGNATURE_BYTES - 1; i >= 32; i--) scalar = (scalar << 8n) | BigInt(signature[i]!)
  return scalar < GROUP_ORDER
}

/**
 * Verifies `signature` over `message` with tweetnacl against `publicKey` (32 bytes), refusing a
 * signature of the wrong size or whose S is not below L, as node:crypto and WebCrypto do.
 *
 * @example naclVerify(utf8('cart\u0000…'), signature, publicKey) // true or false
 */
export function naclVerify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  return isCanonical(signature) && nacl.sign.detached.verify(message, signature, publicKey)
}
