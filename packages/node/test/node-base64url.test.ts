import { decodeBase64url, encodeBase64url } from '@tessera/core/internal'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeCrypto } from '../src'

// node:crypto's SessionCrypto brings a native base64url: it must answer exactly as core's portable
// functions do, refusals included, or a token could open on one runtime and not on another.
const native = nodeCrypto.base64url!
const portableText = (text: string) => {
  const bytes = decodeBase64url(text)
  if (!bytes) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}
/** Strings near base64url: its alphabet, padding, the standard alphabet's +/, and other noise. */
const nearBase64url = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .é\n'),
  maxLength: 80,
})

describe('node base64url matches core byte for byte', () => {
  it('encodes bytes and UTF-8 text identically', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (bytes, text) => {
          expect(native.encode(bytes)).toBe(encodeBase64url(bytes))
          expect(native.encodeText(text)).toBe(encodeBase64url(new TextEncoder().encode(text)))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('decodes valid encodings back, and refuses exactly what core refuses', () => {
    let refused = 0
    fc.assert(
      fc.property(fc.oneof(nearBase64url, fc.uint8Array({ maxLength: 120 }).map(encodeBase64url)), (text) => {
        const expected = decodeBase64url(text)
        const actual = native.decode(text)
        if (expected === null) refused++
        expect(actual === null ? null : [...actual]).toEqual(expected === null ? null : [...expected])
        expect(native.decodeText(text)).toBe(portableText(text))
      }),
      { numRuns: 5000 },
    )
    expect(refused).toBeGreaterThan(500)
  })

  it('refuses non-zero trailing bits, padding and invalid UTF-8 like core', () => {
    expect(native.decode('AB')).toBeNull() // 'B' leaves a bit set past the last byte
    expect(native.decode('AQ')).toEqual(new Uint8Array([1]))
    expect(native.decode('AAB')).toBeNull()
    expect(native.decode('AAE')).toEqual(new Uint8Array([0, 1]))
    expect(native.decode('AA==')).toBeNull()
    expect(native.decode('A')).toBeNull()
    expect(native.decodeText(encodeBase64url(new Uint8Array([0xff, 0xfe])))).toBeNull()
  })
})
