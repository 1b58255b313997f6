import { readFileSync } from 'node:fs'
import type { Protection } from '@tessera/core'
import { webCrypto } from '@tessera/core'
// Fixed sealing nonces are for test vectors only: core's index does not export them.
import {
  createKeyRing,
  createProtector,
  deriveKey,
  encodeBase64url,
  withSealingNonce,
} from '@tessera/core/internal'
import fc from 'fast-check'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { nodeCrypto } from '../src/crypto/node-crypto'

interface Vector {
  id: string
  write: {
    session: string
    protection: Protection
    key: string | null
    payload: string
    iat: number
    exp: number
    nonce: string | null
    token: string
  }
  read: { session: string; protection: Protection; token: string; expect: Record<string, unknown> }
}

const file = new URL('../../core/test/vectors.json', import.meta.url)
const vectors = JSON.parse(readFileSync(file, 'utf8')) as {
  now: number
  keys: { id: string; secret: string }[]
  hkdf: { derived: Record<string, string> }
  ed25519PublicKeys: Record<string, string>
  vectors: Vector[]
}

const fullRing = createKeyRing({ keys: vectors.keys })
const ringFor = (key: string | null) =>
  key === null || key === vectors.keys[0]!.id
    ? fullRing
    : createKeyRing({ keys: vectors.keys.filter((k) => k.id === key) })
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'))
const utf8 = (text: string) => new TextEncoder().encode(text)

describe('node crypto reproduces the v1 vectors', () => {
  it('derives every HKDF key of the vectors', async () => {
    const entries = Object.entries(vectors.hkdf.derived)
    expect(entries.length).toBeGreaterThanOrEqual(12)
    for (const [label, expected] of entries) {
      const [kid, purpose, session] = label.split('/') as [string, 'signed' | 'sealed' | 'ed25519', string]
      const secret = fullRing.keys.find((key) => key.id === kid)!.secret
      expect(hex(await deriveKey(nodeCrypto, secret, purpose, session)), label).toBe(expected)
    }
  })

  it('derives every Ed25519 public key of the vectors', async () => {
    for (const [label, expected] of Object.entries(vectors.ed25519PublicKeys)) {
      const [kid, session] = label.split('/') as [string, string]
      const secret = fullRing.keys.find((key) => key.id === kid)!.secret
      const signer = await nodeCrypto.ed25519Signer(await deriveKey(nodeCrypto, secret, 'ed25519', session))
      expect(encodeBase64url(signer.publicKey), label).toBe(expected)
    }
  })

  for (const vector of vectors.vectors) {
    it(`writes ${vector.id} byte for byte`, async () => {
      const { write } = vector
      const nonce = write.nonce === null ? undefined : fromHex(write.nonce)
      const options = {
        protection: write.protection,
        name: write.session,
        crypto: nodeCrypto,
        ring: ringFor(write.key),
      }
      const writer = createProtector(nonce ? withSealingNonce(options, () => nonce) : options)
      expect(await writer.protect(write.payload, { iat: write.iat, exp: write.exp })).toBe(write.token)
    })

    it(`reads ${vector.id} to the expected outcome`, async () => {
      const { read } = vector
      const reader = createProtector({
        protection: read.protection,
        name: read.session,
        crypto: nodeCrypto,
        ring: fullRing,
      })
      const outcome = await reader.open(read.token, vectors.now)
      expect(outcome).toEqual(read.expect)
    })
  }
})

describe('node Ed25519 against tweetnacl', () => {
  const seedOf = (label: string) => fromHex(vectors.hkdf.derived[label]!)

  it('signs exactly as tweetnacl for the vector seeds', async () => {
    const messages = ['', 'cart\u0000v1.e.k2.1.2.e30', 'snowman ☃ and 𝄞', 'x'.repeat(5000)]
    for (const label of ['k2/ed25519/cart', 'k1/ed25519/login']) {
      const seed = seedOf(label)
      const signer = await nodeCrypto.ed25519Signer(seed)
      const pair = nacl.sign.keyPair.fromSeed(seed)
      expect(hex(signer.publicKey)).toBe(hex(pair.publicKey))
      for (const message of messages) {
        const ours = await signer.sign(message)
        expect(hex(ours)).toBe(hex(nacl.sign.detached(utf8(message), pair.secretKey)))
      }
    }
  })

  it('signs exactly as tweetnacl for random seeds and messages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ unit: 'grapheme' }),
        async (seed, message) => {
          const signer = await nodeCrypto.ed25519Signer(seed)
          const pair = nacl.sign.keyPair.fromSeed(seed)
          expect(hex(await signer.sign(message))).toBe(hex(nacl.sign.detached(utf8(message), pair.secretKey)))
        },
      ),
      { numRuns: 40 },
    )
  })

  it('verifies tweetnacl signatures and refuses altered ones', async () => {
    const seed = seedOf('k2/ed25519/cart')
    const pair = nacl.sign.keyPair.fromSeed(seed)
    const verify = await nodeCrypto.ed25519Verifier(pair.publicKey)
    const signature = nacl.sign.detached(utf8('hello'), pair.secretKey)
    expect(await verify('hello', signature)).toBe(true)
    expect(await verify('hellp', signature)).toBe(false)
    const flipped = signature.slice()
    flipped[10]! ^= 1
    expect(await verify('hello', flipped)).toBe(false)
    expect(await verify('hello', signature.subarray(0, 63))).toBe(false)
  })

  it('refuses a signature whose S is not below the group order (S + L), which tweetnacl alone accepts', async () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n
    const pair = nacl.sign.keyPair.fromSeed(seedOf('k2/ed25519/cart'))
    const signature = nacl.sign.detached(utf8('hello'), pair.secretKey)
    let s = 0n
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i]!)
    s += L
    const malleated = signature.slice()
    for (let i = 0; i < 32; i++, s >>= 8n) malleated[32 + i] = Number(s & 255n)
    expect(nacl.sign.detached.verify(utf8('hello'), malleated, pair.publicKey)).toBe(true)
    const verify = await nodeCrypto.ed25519Verifier(pair.publicKey)
    expect(await verify('hello', signature)).toBe(true)
    expect(await verify('hello', malleated)).toBe(false)
    // Core's portable verifier, on WebCrypto here, refuses it as well.
    expect(await (await webCrypto.ed25519Verifier(pair.publicKey))('hello', malleated)).toBe(false)
  })

  it('refuses seeds and public keys that are not 32 bytes', () => {
    expect(() => nodeCrypto.ed25519Signer(new Uint8Array(31))).toThrow(/32 bytes/)
    expect(() => nodeCrypto.ed25519Verifier(new Uint8Array(33))).toThrow(/32 bytes/)
  })
})

describe('node HMAC and HKDF against WebCrypto', () => {
  it('tags exactly as WebCrypto', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 64 }),
        fc.string({ unit: 'grapheme' }),
        async (key, data) => {
          const ours = await nodeCrypto.hmacSha256(key)
          const theirs = await webCrypto.hmacSha256(key)
          expect(await ours(data)).toBe(await theirs(data))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('derives exactly as WebCrypto', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 64 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.uint8Array({ maxLength: 32 }),
        async (secret, salt, info) => {
          expect(hex(await nodeCrypto.hkdf(secret, salt, info, 32))).toBe(
            hex(await webCrypto.hkdf(secret, salt, info, 32)),
          )
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('node random bytes', () => {
  it('gives the length asked, fresh bytes each time, across pool refills', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const bytes = nodeCrypto.randomBytes(24)
      expect(bytes).toBeInstanceOf(Uint8Array)
      expect(bytes.length).toBe(24)
      seen.add(hex(bytes))
    }
    expect(seen.size).toBe(1000)
  })

  it('hands out copies: a draw does not change when later draws refill the pool', () => {
    const first = nodeCrypto.randomBytes(16)
    const snapshot = hex(first)
    for (let i = 0; i < 600; i++) nodeCrypto.randomBytes(16)
    expect(hex(first)).toBe(snapshot)
  })

  it('serves large and empty requests', () => {
    expect(nodeCrypto.randomBytes(0).length).toBe(0)
    const large = nodeCrypto.randomBytes(10_000)
    expect(large.length).toBe(10_000)
    expect(large.some((byte) => byte !== 0)).toBe(true)
    expect(() => nodeCrypto.randomBytes(-1)).toThrow()
  })
})
