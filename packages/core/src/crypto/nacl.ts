import type { Awaitable } from '../awaitable'
import { loadOnce } from '../awaitable'

/*
 * tweetnacl, loaded on first need: it seals and opens `sealed` sessions (XSalsa20-Poly1305 secretbox)
 * on every runtime, and verifies Ed25519 where WebCrypto cannot (older browsers, plain-http pages).
 * A page that only reads Ed25519 sessions with WebCrypto never downloads it.
 */

/** The tweetnacl module. */
export type Nacl = typeof import('tweetnacl')

/**
 * tweetnacl, imported on first need (a failed import is tried again on the next call).
 *
 * @example when(loadNacl(), (nacl) => nacl.secretbox(message, nonce, key))
 */
export const loadNacl: () => Awaitable<Nacl> = /* @__PURE__ */ loadOnce(() =>
  import('tweetnacl').then((module) => ((module as { default?: Nacl }).default ?? module) as Nacl),
)

const ED25519_SIGNATURE_BYTES = 64
/** L, the order of Ed25519's group: a signature's scalar S must be below it (RFC 8032). */
const GROUP_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n

/**
 * Verifies an Ed25519 `signature` over `message` with tweetnacl against `publicKey`, refusing a
 * signature of the wrong size or whose scalar S (bytes 32 to 63, little-endian) is not below L:
 * tweetnacl alone accepts S + L, a second token for one content, which node:crypto and WebCrypto
 * refuse. S is public: no constant time needed.
 *
 * @example naclVerify(nacl, utf8('cart\u0000…'), signature, publicKey) // true or false
 */
export function naclVerify(
  nacl: Nacl,
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false
  let scalar = 0n
  for (let i = ED25519_SIGNATURE_BYTES - 1; i >= 32; i--) scalar = (scalar << 8n) | BigInt(signature[i]!)
  return scalar < GROUP_ORDER && nacl.sign.detached.verify(message, signature, publicKey)
}
