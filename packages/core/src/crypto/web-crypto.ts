import { decodeBase64url } from '../encoding/base64url'
import { encodeBase64url } from '../encoding/base64url-encode'
import { utf8 } from '../encoding/utf8'
import { SessionError } from '../errors'
import { toBuffer as buffer, createEd25519Verifier } from './ed25519-verifier'
import type { Ed25519Signer, SessionCrypto } from './session-crypto'
import { loadNacl } from './tweetnacl'

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]

const ED25519_KEY_BYTES = 32

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
 * The portable {@link SessionCrypto}: WebCrypto for HKDF, HMAC and (where the runtime has it)
 * Ed25519; tweetnacl, loaded on first need, for Ed25519 elsewhere. Verification alone is
 * {@link createEd25519Verifier}, which a browser can use without the rest.
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
    if (seed.length !== ED25519_KEY_BYTES)
      throw new SessionError('INVALID_KEY', 'an Ed25519 seed must be 32 bytes')
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
    const nacl = await loadNacl()
    const pair = nacl.sign.keyPair.fromSeed(seed)
    return { publicKey: pair.publicKey, sign: (data) => nacl.sign.detached(utf8(data), pair.secretKey) }
  },

  ed25519Verifier: createEd25519Verifier,
}
