import { isUtf8 } from 'node:buffer'
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  hkdfSync,
  randomFillSync,
  sign,
  verify,
} from 'node:crypto'
import type { Base64urlCodec, Ed25519Signer, Ed25519Verify, SessionCrypto, TagFunction } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { assertEd25519Key, ED25519_KEY_BYTES, isCanonicalBase64url } from '@tessera/core/internal'

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410); the 32-byte seed follows it. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
/** DER prefix of an SPKI Ed25519 public key (RFC 8410); the 32-byte key follows it. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/**
 * Random bytes are handed out of a pooled buffer filled by one `randomFillSync` call, as node's own
 * `randomUUID` does: one call into OpenSSL per 4 KiB instead of one per id or nonce. Every draw
 * is copied out and its bytes in the pool zeroed, so nothing handed out stays in the pool.
 * Measured gain (`pnpm bench`, codec group's hot-path pair, full runs on 2 cores, load average
 * about 1): a 24-byte draw 15.6× faster than `randomFillSync` per draw, 3.1 µs saved per session id
 * or sealed nonce (Intel Xeon); 17.8×, 1.6 µs (AMD EPYC, 2026-12-06).
 */
const POOL_BYTES = 4096
const pool = Buffer.allocUnsafeSlow(POOL_BYTES)
let poolOffset = POOL_BYTES

function drawRandom(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) {
    throw new SessionError('INVALID_OPTION', 'randomBytes needs a non-negative integer length')
  }
  const out = new Uint8Array(length)
  if (length > POOL_BYTES / 4) return randomFillSync(out)
  if (poolOffset + length > POOL_BYTES) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const end = poolOffset + length
  out.set(pool.subarray(poolOffset, end))
  pool.fill(0, poolOffset, end)
  poolOffset = end
  return out
}

/**
 * Buffer's base64url, made as strict as core's decoder (Buffer's own would skip anything outside the
 * alphabet without a word): the same canonical check, so every byte string has one text and a
 * mutated token never decodes.
 */
function strictBuffer(text: string): Buffer | null {
  return isCanonicalBase64url(text) ? Buffer.from(text, 'base64url') : null
}

/**
 * Native base64url on Buffer: the same results as core's portable functions. Measured gain
 * (`pnpm bench`, codec group's hot-path pair: engine signed read-modify-write with and without it,
 * full runs, load average about 1): 1.30×, 7.2 µs saved per request (Intel Xeon); 1.27×, 2.5 µs
 * (AMD EPYC, 2026-12-06).
 */
const nodeBase64url: Base64urlCodec = {
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
  decode(text) {
    const buffer = strictBuffer(text)
    return buffer && bytesOf(buffer)
  },
  encodeText: (text) => Buffer.from(text, 'utf8').toString('base64url'),
  decodeText(text) {
    const buffer = strictBuffer(text)
    return buffer && isUtf8(buffer) ? buffer.toString('utf8') : null
  },
}

/** A Uint8Array view of a Buffer's bytes, without copying. */
const bytesOf = (buffer: Buffer): Uint8Array =>
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)

/**
 * The {@link SessionCrypto} of `@tessera/node`, on `node:crypto`: HKDF with `hkdfSync`, HMAC-SHA256
 * with a prepared `KeyObject`, Ed25519 with OpenSSL (`sign`/`verify`), random bytes from a pool
 * refilled by `randomFillSync`. Every result is synchronous, and every output is byte for byte what
 * core's WebCrypto implementation produces (the v1 test vectors check it). Sealing stays with
 * tweetnacl's secretbox, in core.
 *
 * @example
 * import { createSessionEngine } from '@tessera/core'
 * const engine = createSessionEngine({ secret, sessions: [Cart], crypto: nodeCrypto })
 */
export const nodeCrypto: SessionCrypto = {
  name: 'node:crypto',

  randomBytes: drawRandom,

  base64url: nodeBase64url,

  hkdf(secret, salt, info, length) {
    return new Uint8Array(hkdfSync('sha256', secret, salt, info, length))
  },

  hmacSha256(rawKey): TagFunction {
    const key = createSecretKey(rawKey)
    return (data) => createHmac('sha256', key).update(data, 'utf8').digest('base64url')
  },

  ed25519Signer(seed): Ed25519Signer {
    assertEd25519Key(seed, 'seed')
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    })
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
    return {
      publicKey: new Uint8Array(spki.subarray(spki.length - ED25519_KEY_BYTES)),
      sign: (data) => bytesOf(sign(null, Buffer.from(data, 'utf8'), privateKey)),
    }
  },

  ed25519Verifier(publicKey): Ed25519Verify {
    assertEd25519Key(publicKey, 'public key')
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    })
    return (data, signature) => {
      try {
        return verify(null, Buffer.from(data, 'utf8'), key, signature)
      } catch {
        return false
      }
    }
  },
}
