import nacl from 'tweetnacl'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { webCrypto } from '../../src'
import { createEd25519Verifier, decodeBase64url } from '../../src/internal'
import file from '../vectors.json'

const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 11)
const message = 'cart\u0000v1.e.0.1.2.payload'
let publicKey: Uint8Array
let signature: Uint8Array

beforeAll(async () => {
  const signer = await webCrypto.ed25519Signer(seed)
  publicKey = signer.publicKey
  signature = new Uint8Array(await signer.sign(message))
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

/** Checks a verifier: the signature verifies; another message, a flipped bit or a wrong size does not. */
async function expectVerifies(verify: Awaited<ReturnType<typeof createEd25519Verifier>>) {
  expect(await verify(message, signature)).toBe(true)
  expect(await verify(message.replace('cart', 'card'), signature)).toBe(false)
  const flipped = new Uint8Array(signature)
  flipped[20]! ^= 4
  expect(await verify(message, flipped)).toBe(false)
  expect(await verify(message, signature.subarray(0, 63))).toBe(false)
  expect(await verify(message, new Uint8Array(0))).toBe(false)
}

/** Makes WebCrypto refuse Ed25519 keys, as a runtime without Ed25519 does; other keys import as usual. */
function refuseEd25519Keys() {
  const importKey = crypto.subtle.importKey.bind(crypto.subtle)
  vi.spyOn(crypto.subtle, 'importKey').mockImplementation(((
    ...args: Parameters<SubtleCrypto['importKey']>
  ) => {
    const algorithm = args[2]
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name
    if (name === 'Ed25519') return Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError'))
    return importKey(...args)
  }) as SubtleCrypto['importKey'])
}

/** L, the order of Ed25519's group. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n

/** The same signature with L added to its scalar S (bytes 32 to 63, little-endian): S + L < 2^256. */
function withScalarPlusL(valid: Uint8Array): Uint8Array<ArrayBuffer> {
  let s = 0n
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(valid[32 + i]!)
  s += L
  const out = new Uint8Array(valid)
  for (let i = 0; i < 32; i++) {
    out[32 + i] = Number(s & 255n)
    s >>= 8n
  }
  expect(s).toBe(0n)
  return out
}

describe('createEd25519Verifier', () => {
  it('verifies with WebCrypto where the runtime has Ed25519', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify')
    await expectVerifies(await createEd25519Verifier(publicKey))
    expect(verify).toHaveBeenCalled()
  })

  it('falls back to tweetnacl where WebCrypto refuses Ed25519 keys', async () => {
    refuseEd25519Keys()
    const verify = vi.spyOn(crypto.subtle, 'verify')
    await expectVerifies(await createEd25519Verifier(publicKey))
    expect(verify).not.toHaveBeenCalled()
  })

  it('falls back to tweetnacl where there is no crypto.subtle at all (a plain-http page)', async () => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes })
    expect(globalThis.crypto.subtle).toBeUndefined()
    await expectVerifies(await createEd25519Verifier(publicKey))
  })

  it('refuses a signature whose S is not below the group order (S + L), on the tweetnacl path too', async () => {
    const malleated = withScalarPlusL(signature)
    // The input is the malleability itself: tweetnacl alone accepts it, WebCrypto (as node:crypto) does not.
    expect(nacl.sign.detached.verify(new TextEncoder().encode(message), malleated, publicKey)).toBe(true)
    const webKey = await crypto.subtle.importKey('raw', new Uint8Array(publicKey), 'Ed25519', false, [
      'verify',
    ])
    const data = new TextEncoder().encode(message)
    expect(await crypto.subtle.verify('Ed25519', webKey, new Uint8Array(signature), data)).toBe(true)
    expect(await crypto.subtle.verify('Ed25519', webKey, malleated, data)).toBe(false)

    expect(await (await createEd25519Verifier(publicKey))(message, malleated)).toBe(false)

    // Where WebCrypto has no Ed25519, tweetnacl verifies: the valid signature passes without WebCrypto
    // verifying anything, so the refusal below is the tweetnacl path's.
    refuseEd25519Keys()
    const webVerify = vi.spyOn(crypto.subtle, 'verify')
    const fallback = await createEd25519Verifier(publicKey)
    expect(await fallback(message, signature)).toBe(true)
    expect(await fallback(message, malleated)).toBe(false)
    expect(webVerify).not.toHaveBeenCalled()
    // S = L exactly, and the largest S that fits, are refused as well.
    const atL = new Uint8Array(signature)
    let l = L
    for (let i = 0; i < 32; i++, l >>= 8n) atL[32 + i] = Number(l & 255n)
    expect(await fallback(message, atL)).toBe(false)
    expect(
      await fallback(message, Uint8Array.from([...signature.subarray(0, 32), ...new Array(32).fill(255)])),
    ).toBe(false)
  })

  it('verifies the shared vectors with their public keys', async () => {
    const vector = file.vectors.find((each) => each.id === 'ed25519-meta')!
    const token = vector.read.token
    const cut = token.lastIndexOf('.')
    const key = decodeBase64url(file.ed25519PublicKeys[`${token.split('.')[2]}/cart` as never])!
    const verify = await createEd25519Verifier(key)
    const tag = decodeBase64url(token.slice(cut + 1))!
    expect(await verify(`cart\u0000${token.slice(0, cut)}`, tag)).toBe(true)
    expect(await verify(`login\u0000${token.slice(0, cut)}`, tag)).toBe(false)
  })

  it('refuses a key that is not 32 bytes with INVALID_KEY', async () => {
    for (const length of [0, 31, 33, 64]) {
      await expect(createEd25519Verifier(new Uint8Array(length))).rejects.toMatchObject({
        code: 'INVALID_KEY',
      })
    }
  })
})
