import type { Awaitable } from '../awaitable'
import { loadOnce } from '../awaitable'
import { decodeBase64url, encodeBase64url, utf8 } from '../encoding'
import { SessionError } from '../errors'
import type { Ed25519Signer, Ed25519Verify, SessionCrypto } from './session-crypto'
import { assertEd25519Key } from './session-crypto'

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]

/** What tessera takes from tweetnacl (./nacl). */
export type NaclModule = typeof import('./nacl')

/**
 * tweetnacl and what tessera adds to it (./nacl), imported on first need (a failed import is tried
 * again by the next call): sealing, and Ed25519 where WebCrypto lacks it.
 *
 * @example const nacl = await loadNacl()
 */
export const loadNacl: () => Awaitable<NaclModule> = /* @__PURE__ */ loadOnce(() => import('./nacl'))

/** Copies into a fresh ArrayBuffer-backed array, which every WebCrypto implementation accepts. */
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle
  if (!value) throw new SessionError('UNSUPPORTED', 'this runtime has no WebCrypto (crypto.subtle)')
  return value
}

/** Whether this runtime's WebCrypto knows Ed25519 keys for signing; probed once, the answer cached. */
let ed25519Support: Promise<boolean> | undefined
function hasWebCryptoEd25519(): Promise<boolean> {
  ed25519Support ??= subtle()
    .importKey('raw', new Uint8Array(32), { name: 'Ed25519' }, false, ['verify'])
    .then(
      () => true,
      () => false,
    )
  return ed25519Support
}

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
  assertEd25519Key(publicKey, 'public key')
  // Our own copy: the caller's array may change afterwards.
  const keyBytes = buffer(publicKey)
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
    return (data, signature) => subtle.verify('Ed25519', webKey, buffer(signature), utf8(data))
  }
  const { naclVerify } = await loadNacl()
  return (data, signature) => naclVerify(utf8(data), signature, keyBytes)
}

/**
 * The portable {@link SessionCrypto}: WebCrypto for HKDF, HMAC and (where the runtime has it)
 * Ed25519; tweetnacl, loaded on first need, for Ed25519 elsewhere. Verification alone is
 * `createEd25519Verifier`, which a browser uses without the rest.
 *
 * @example createSessionEngine({ secret, sessions: [Cart], crypto: webCrypto })
 */
export const webCrypto: SessionCrypto = {
  name: 'webcrypto',

  randomBytes(length) {
    const bytes = new Uint8Array(length)
    globalThis.crypto.getRandomValues(bytes)
    return bytes
  },

  async hkdf(secret, salt, info, length) {
    const key = await subtle().importKey('raw', buffer(secret), 'HKDF', false, ['deriveBits'])
    const bits = await subtle().deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: buffer(salt), info: buffer(info) },
      key,
      length * 8,
    )
    return new Uint8Array(bits)
  },

  async hmacSha256(rawKey) {
    const key = await subtle().importKey('raw', buffer(rawKey), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ])
    return async (data) => encodeBase64url(new Uint8Array(await subtle().sign('HMAC', key, utf8(data))))
  },

  async ed25519Signer(seed): Promise<Ed25519Signer> {
    assertEd25519Key(seed, 'seed')
    if (await hasWebCryptoEd25519()) {
      const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.length + 32)
      pkcs8.set(PKCS8_ED25519_PREFIX)
      pkcs8.set(seed, PKCS8_ED25519_PREFIX.length)
      const key = await subtle().importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign'])
      const jwk = await subtle().exportKey('jwk', key)
      return {
        publicKey: decodeBase64url(jwk.x ?? '') ?? new Uint8Array(0),
        sign: async (data) => new Uint8Array(await subtle().sign('Ed25519', key, utf8(data))),
      }
    }
    const { nacl } = await loadNacl()
    const pair = nacl.sign.keyPair.fromSeed(seed)
    return { publicKey: pair.publicKey, sign: (data) => nacl.sign.detached(utf8(data), pair.secretKey) }
  },

  ed25519Verifier: createEd25519Verifier,
}
