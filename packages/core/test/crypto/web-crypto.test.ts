import { afterEach, describe, expect, it, vi } from 'vitest'
import { webCrypto } from '../../src'
import { encodeBase64url, timingSafeEqualBytes, timingSafeEqualText } from '../../src/internal'
import file from '../vectors.json'

const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7)

/** A fresh copy of web-crypto.ts in a runtime whose WebCrypto lacks Ed25519 (older Safari, say). */
async function webCryptoWithoutEd25519(): Promise<typeof webCrypto> {
  const subtle = globalThis.crypto.subtle
  const importKey = subtle.importKey.bind(subtle)
  vi.spyOn(subtle, 'importKey').mockImplementation(((
    format: never,
    key: never,
    algorithm: unknown,
    ...rest: never[]
  ) => {
    const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name: string }).name
    if (name === 'Ed25519') return Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError'))
    return (importKey as (...args: unknown[]) => unknown)(format, key, algorithm, ...rest)
  }) as never)
  vi.resetModules()
  const module = (await import(
    '../../src/crypto/web-crypto?second-copy'
  )) as typeof import('../../src/crypto/web-crypto')
  return module.webCrypto
}

describe('webCrypto', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('gives random bytes of the asked length, different each time', () => {
    const a = webCrypto.randomBytes(32)
    const b = webCrypto.randomBytes(32)
    expect(a).toHaveLength(32)
    expect(encodeBase64url(a)).not.toBe(encodeBase64url(b))
  })

  it('computes RFC 4231 HMAC-SHA256 test case 2', async () => {
    const tag = await webCrypto.hmacSha256(new TextEncoder().encode('Jefe'))
    const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    const bytes = Uint8Array.from(expected.match(/../g)!, (h) => Number.parseInt(h, 16))
    expect(await tag('what do ya want for nothing?')).toBe(encodeBase64url(bytes))
  })

  it('signs Ed25519 that verifies, and refuses another message or signature', async () => {
    const signer = await webCrypto.ed25519Signer(seed)
    expect(signer.publicKey).toHaveLength(32)
    const verify = await webCrypto.ed25519Verifier(signer.publicKey)
    const signature = await signer.sign('cart\u0000v1.e.payload')
    expect(signature).toHaveLength(64)
    expect(await verify('cart\u0000v1.e.payload', signature)).toBe(true)
    expect(await verify('login\u0000v1.e.payload', signature)).toBe(false)
    const flipped = new Uint8Array(signature)
    flipped[10]! ^= 1
    expect(await verify('cart\u0000v1.e.payload', flipped)).toBe(false)
  })

  it('refuses an Ed25519 public key or seed that is not 32 bytes with INVALID_KEY, on both paths', async () => {
    const fallback = await webCryptoWithoutEd25519()
    for (const crypto of [webCrypto, fallback]) {
      for (const length of [0, 31, 33]) {
        await expect(crypto.ed25519Verifier(new Uint8Array(length))).rejects.toMatchObject({
          code: 'INVALID_KEY',
        })
        await expect(crypto.ed25519Signer(new Uint8Array(length))).rejects.toMatchObject({
          code: 'INVALID_KEY',
        })
      }
    }
  })

  it('answers false (never throws) for a signature of the wrong size', async () => {
    const signer = await webCrypto.ed25519Signer(seed)
    const verify = await webCrypto.ed25519Verifier(signer.publicKey)
    expect(await verify('message', new Uint8Array(63))).toBe(false)
    expect(await verify('message', new Uint8Array(0))).toBe(false)
  })

  it('falls back to tweetnacl where WebCrypto lacks Ed25519, with the same keys and signatures', async () => {
    const native = await webCrypto.ed25519Signer(seed)
    const fallback = await webCryptoWithoutEd25519()
    const signer = await fallback.ed25519Signer(seed)
    expect(encodeBase64url(signer.publicKey)).toBe(encodeBase64url(native.publicKey))
    const signature = await signer.sign('message')
    expect(encodeBase64url(signature)).toBe(encodeBase64url(await native.sign('message')))
    const verify = await fallback.ed25519Verifier(native.publicKey)
    expect(await verify('message', signature)).toBe(true)
    expect(await verify('massage', signature)).toBe(false)
    expect(await verify('message', signature.subarray(0, 63))).toBe(false)
    expect(await verify('message', new Uint8Array(65))).toBe(false)
    // The vectors' public keys come out the same way.
    const vectorSeed = Uint8Array.from(file.hkdf.derived['k2/ed25519/cart'].match(/../g)!, (h) =>
      Number.parseInt(h, 16),
    )
    expect(encodeBase64url((await fallback.ed25519Signer(vectorSeed)).publicKey)).toBe(
      file.ed25519PublicKeys['k2/cart'],
    )
  })
})

describe('timing-safe comparisons', () => {
  it('compare text and bytes by content and length', () => {
    expect(timingSafeEqualText('abc', 'abc')).toBe(true)
    expect(timingSafeEqualText('', '')).toBe(true)
    expect(timingSafeEqualText('abc', 'abd')).toBe(false)
    expect(timingSafeEqualText('abc', 'ab')).toBe(false)
    expect(timingSafeEqualText('ab', 'abc')).toBe(false)
    expect(timingSafeEqualText('a', 'b'.repeat(1))).toBe(false)
    expect(timingSafeEqualBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true)
    expect(timingSafeEqualBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false)
    expect(timingSafeEqualBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false)
  })

  it('do not stop at the first difference (every character is looked at)', () => {
    // A string whose only difference sits in the last character is still told apart.
    const a = 'x'.repeat(1000)
    expect(timingSafeEqualText(a, `${'x'.repeat(999)}y`)).toBe(false)
    expect(timingSafeEqualText(`y${'x'.repeat(999)}`, a)).toBe(false)
  })
})
