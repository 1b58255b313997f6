import { afterEach, describe, expect, it, vi } from 'vitest'
import { webCrypto } from '../../src'
import { encodeBase64url, timingSafeEqualText } from '../../src/internal'
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

/** A fresh copy of web-crypto.ts: nothing probed or cached yet. */
let copies = 0
async function freshWebCrypto(): Promise<typeof webCrypto> {
  vi.resetModules()
  const module = (await import(
    `../../src/crypto/web-crypto?fresh-${++copies}`
  )) as typeof import('../../src/crypto/web-crypto')
  return module.webCrypto
}

/** The algorithm name of a WebCrypto call's algorithm argument. */
const algorithmOf = (algorithm: unknown) =>
  typeof algorithm === 'string' ? algorithm : (algorithm as { name: string }).name

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
    const webSign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    const signature = await signer.sign('message')
    expect(webSign).not.toHaveBeenCalled() // tweetnacl signed this one
    expect(encodeBase64url(signature)).toBe(encodeBase64url(await native.sign('message')))
    expect(webSign).toHaveBeenCalledTimes(1) // and WebCrypto that one: two paths compared, not one with itself
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

  it('signs and verifies Ed25519 with WebCrypto itself where the runtime has it (not tweetnacl)', async () => {
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign')
    const verifyCall = vi.spyOn(globalThis.crypto.subtle, 'verify')
    const signer = await webCrypto.ed25519Signer(seed)
    const signature = await signer.sign('message')
    expect(sign.mock.calls.map(([algorithm]) => algorithmOf(algorithm))).toEqual(['Ed25519'])
    const verify = await webCrypto.ed25519Verifier(signer.publicKey)
    expect(await verify('message', signature)).toBe(true)
    expect(verifyCall.mock.calls.map(([algorithm]) => algorithmOf(algorithm))).toEqual(['Ed25519'])
  })

  it('probes for WebCrypto Ed25519 once, whatever the number of signers', async () => {
    const fresh = await freshWebCrypto()
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    await fresh.ed25519Signer(seed)
    await fresh.ed25519Signer(seed)
    const probes = importKey.mock.calls.filter(([format]) => format === 'raw')
    expect(probes.map(([, , algorithm]) => algorithmOf(algorithm))).toEqual(['Ed25519'])
  })

  it('imports HMAC and HKDF keys as not extractable, with the one usage each needs', async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    await webCrypto.hmacSha256(new Uint8Array(32))
    await webCrypto.hkdf(new Uint8Array(32), new Uint8Array(1), new Uint8Array(1), 32)
    const imports = importKey.mock.calls.map(([, , algorithm, extractable, usages]) => ({
      algorithm: algorithmOf(algorithm),
      extractable,
      usages,
    }))
    expect(imports).toEqual([
      { algorithm: 'HMAC', extractable: false, usages: ['sign'] },
      { algorithm: 'HKDF', extractable: false, usages: ['deriveBits'] },
    ])
    expect(importKey.mock.calls[0]![2]).toMatchObject({ hash: 'SHA-256' })
  })

  it('derives HKDF-SHA256 bits of the asked length (RFC 5869 test case 1)', async () => {
    const hex = (text: string) => Uint8Array.from(text.match(/../g)!, (h) => Number.parseInt(h, 16))
    const okm = await webCrypto.hkdf(
      hex('0b'.repeat(22)),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    )
    expect(encodeBase64url(okm)).toBe(
      encodeBase64url(
        hex('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'),
      ),
    )
  })

  it('answers UNSUPPORTED (a SessionError, not a TypeError) in a runtime without crypto.subtle', async () => {
    const getRandomValues = globalThis.crypto.getRandomValues.bind(globalThis.crypto)
    for (const runtime of [{ getRandomValues }, undefined]) {
      vi.stubGlobal('crypto', runtime)
      await expect(webCrypto.hmacSha256(new Uint8Array(32))).rejects.toMatchObject({ code: 'UNSUPPORTED' })
      await expect(
        webCrypto.hkdf(new Uint8Array(32), new Uint8Array(0), new Uint8Array(0), 32),
      ).rejects.toMatchObject({ code: 'UNSUPPORTED' })
      vi.unstubAllGlobals()
    }
  })
})

describe('timing-safe comparisons', () => {
  it('compare text by content and length', () => {
    expect(timingSafeEqualText('abc', 'abc')).toBe(true)
    expect(timingSafeEqualText('', '')).toBe(true)
    expect(timingSafeEqualText('abc', 'abd')).toBe(false)
    expect(timingSafeEqualText('abc', 'ab')).toBe(false)
    expect(timingSafeEqualText('ab', 'abc')).toBe(false)
    expect(timingSafeEqualText('a', 'b'.repeat(1))).toBe(false)
  })

  it('do not stop at the first difference: every character of the shorter input is compared', () => {
    /** `text`, recording which positions the comparison reads. */
    const watched = (text: string) => {
      const read: number[] = []
      const value = {
        length: text.length,
        charCodeAt: (i: number) => {
          read.push(i)
          return text.charCodeAt(i)
        },
      }
      return { text: value as unknown as string, read }
    }
    const all = (length: number) => Array.from({ length }, (_, i) => i)

    // Different in the first character: still all 100 compared, once each, on both sides.
    const a = watched('x'.repeat(100))
    const b = watched(`y${'x'.repeat(99)}`)
    expect(timingSafeEqualText(a.text, b.text)).toBe(false)
    expect(a.read).toEqual(all(100))
    expect(b.read).toEqual(all(100))
    // Different lengths: the characters both have, and none past the shorter one.
    const long = watched('x'.repeat(10))
    const short = watched('y'.repeat(6))
    expect(timingSafeEqualText(long.text, short.text)).toBe(false)
    expect(long.read).toEqual(all(6))
    expect(short.read).toEqual(all(6))

    // A difference in the last character alone is still told apart.
    expect(timingSafeEqualText('x'.repeat(1000), `${'x'.repeat(999)}y`)).toBe(false)
  })
})
