/**
 * Property tests of the value path: codec text, then every protection, then back. A JSON-plain value
 * takes the fast path and writes what superjson writes; anything richer goes through superjson.
 */
import fc from 'fast-check'
import superjson from 'superjson'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Protection } from '../../src'
import { superjsonCodec, webCrypto } from '../../src'
import { createKeyRing, createProtector, decodeBase64url, encodeBase64url } from '../../src/internal'

/** Object keys; superjson refuses the three prototype-related ones (see the codec's unit tests). */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const key = fc.string({ unit: 'binary', maxLength: 6 }).filter((k) => !FORBIDDEN_KEYS.has(k))
const scalar = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
)
/** Values superjson round-trips: scalars, arrays, plain objects, Maps and Sets, nested. */
const { rich } = fc.letrec((tie) => ({
  rich: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object'), tie('map'), tie('set')),
  array: fc.array(tie('rich'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('rich'), { maxKeys: 4, noNullPrototype: true }),
  map: fc
    .array(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), tie('rich')), { maxLength: 3 })
    .map((entries) => new Map(entries)),
  set: fc
    .array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 })
    .map((items) => new Set(items)),
}))
/** True when superjson writes the value as JSON alone, with no `meta` part: the codec's fast path. */
function isJsonPlain(value: unknown): boolean {
  try {
    return superjson.stringify(value) === `{"json":${JSON.stringify(value)}}`
  } catch {
    return false // JSON.stringify refuses a BigInt
  }
}

const plain = fc
  .jsonValue({ maxDepth: 4, stringUnit: 'binary', noNullPrototype: true } as never)
  .filter((value) => isJsonPlain(value))

const ring = createKeyRing({ secret: 'a property-test secret of 32+ bytes' })
const protections: Protection[] = ['none', 'signed', 'ed25519', 'sealed']
const protectors = protections.map((protection) =>
  createProtector({ protection, name: 'cart', crypto: webCrypto, ring }),
)
const NOW = 1_800_000_000

describe('codec round trip (property)', () => {
  // The default codec imports each half on first use; from then on the fast path is synchronous.
  beforeAll(async () => {
    await superjsonCodec.encode(null)
    await superjsonCodec.decode('{"json":null}')
  })

  it('fast path: a JSON-plain value encodes synchronously to superjson.stringify and decodes back', () => {
    let ran = 0
    fc.assert(
      fc.property(plain, (value) => {
        ran++
        const text = superjsonCodec.encode(value)
        expect(typeof text).toBe('string')
        expect(text).toBe(superjson.stringify(value))
        expect(superjsonCodec.decode(text as string)).toStrictEqual(value)
      }),
      { numRuns: 300 },
    )
    expect(ran).toBeGreaterThanOrEqual(300)
  })

  it('superjson path: any value encodes to superjson.stringify and decodes to superjson.parse', async () => {
    let richRuns = 0
    await fc.assert(
      fc.asyncProperty(rich, async (value) => {
        if (!isJsonPlain(value)) richRuns++
        const text = await superjsonCodec.encode(value)
        expect(text).toBe(superjson.stringify(value))
        const back = await superjsonCodec.decode(text)
        expect(back).toStrictEqual(superjson.parse(text))
        expect(back).toStrictEqual(value)
      }),
      { numRuns: 300 },
    )
    expect(richRuns).toBeGreaterThan(100) // the generator mostly leaves the fast path
  })

  it('through every protection, a value comes back equal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(plain, rich), fc.constantFrom(0, 1, 2, 3), async (value, which) => {
        const protector = protectors[which]!
        const text = await superjsonCodec.encode(value)
        const token = await protector.protect(text, { iat: NOW, exp: NOW + 60 })
        expect(token).toMatch(/^[A-Za-z0-9_.-]+$/)
        const opened = await protector.open(token, NOW)
        expect(opened.ok && opened.payload).toBe(text)
        expect(await superjsonCodec.decode(opened.ok ? opened.payload : '')).toStrictEqual(value)
      }),
      { numRuns: 200 },
    )
  })
})

describe('base64url (property)', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes)
      }),
      { numRuns: 500 },
    )
  })

  it('decodes only canonical text: whatever decodes re-encodes to itself', () => {
    const alphabet = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/. '.split(''),
    )
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 40 }), (text) => {
        const bytes = decodeBase64url(text)
        if (bytes) expect(encodeBase64url(bytes)).toBe(text)
      }),
      { numRuns: 2000 },
    )
  })
})
