import nacl from 'tweetnacl'

/*
 * What tessera takes from tweetnacl: sealing (XSalsa20-Poly1305 secretbox) on every runtime, and
 * Ed25519 where WebCrypto lacks it (older browsers, plain-http pages). This module is loaded on first
 * need (`loadNacl` of ./web-crypto), so a page that reads Ed25519 sessions with WebCrypto never
 * downloads tweetnacl.
 */

export { nacl }

const ED25519_SIGNATURE_BYTES = 64
/** L, the order of Ed25519's group: a signature's scalar S must be below it (RFC 8032). */
const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n

/**
 * Verifies an Ed25519 `signature` over `message` against `publicKey`, refusing a signature of the
 * wrong size or whose scalar S (bytes 32 to 63, little-endian) is not below L: tweetnacl alone
 * accepts S + L, a second token for one content, which node:crypto and WebCrypto refuse. S is
 * public: no constant time needed.
 *
 * @example naclVerify(utf8('cart\u0000…'), signature, publicKey) // true or false
 */
export function naclVerify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false
  let scalar = 0n
  for (let i = ED25519_SIGNATURE_BYTES - 1; i >= 32; i--) scalar = (scalar << 8n) | BigInt(signature[i]!)
  return scalar < GROUP_ORDER && nacl.sign.detached.verify(message, signature, publicKey)
}
