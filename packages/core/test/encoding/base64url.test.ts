import { describe, expect, it } from 'vitest'
import { isBase64urlText, isCanonicalBase64url } from '../../src/encoding'
import { decodeBase64url, encodeBase64url } from '../../src/internal'

const ascii = (text: string) => new TextEncoder().encode(text)

/**
 * An oracle apart from the decoder under test: takes 6 bits per character of the alphabet and a byte
 * per 8 bits, whatever the length, and ignores the bits left over.
 */
function lenientDecode(text: string): Uint8Array | null {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const bytes: number[] = []
  let value = 0
  let bits = 0
  for (const char of text) {
    const sextet = alphabet.indexOf(char)
    if (sextet < 0) return null
    value = ((value << 6) | sextet) & 0xffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes.push((value >> bits) & 255)
    }
  }
  return new Uint8Array(bytes)
}

describe('base64url', () => {
  it('encodes the RFC 4648 test vectors without padding', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ]
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64url(ascii(plain))).toBe(encoded)
      expect(decodeBase64url(encoded)).toEqual(ascii(plain))
    }
  })

  it('uses - and _ where standard base64 uses + and /', () => {
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
    expect(encodeBase64url(new Uint8Array([0xfb, 0xef, 0xbe]))).toBe('----')
    expect(encodeBase64url(new Uint8Array([0xff, 0xff, 0xff]))).toBe('____')
    expect(decodeBase64url('-_8')).toEqual(new Uint8Array([0xfb, 0xff]))
  })

  it('round-trips every byte value at every length up to 66', () => {
    for (let length = 0; length <= 66; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + length * 7) & 255)
      const text = encodeBase64url(bytes)
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
      expect(text.length).toBe(Math.ceil((length * 4) / 3))
      expect(decodeBase64url(text)).toEqual(bytes)
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(decodeBase64url(encodeBase64url(all))).toEqual(all)
  })

  it('refuses padding', () => {
    for (const padded of ['Zg==', 'Zm8=', 'Zg=', 'Zm9v====', '=']) expect(decodeBase64url(padded)).toBeNull()
  })

  it('refuses characters outside the base64url alphabet', () => {
    for (const bad of [
      'Zm9+',
      'Zm9/',
      'Zm 9v',
      ' Zm9v',
      'Zm9v\n',
      'Zm9.',
      'Zm9é',
      'Zm9\u0000',
      'Zm9v\u{1F600}',
    ]) {
      expect(decodeBase64url(bad), JSON.stringify(bad)).toBeNull()
    }
  })

  it('refuses non-canonical trailing bits, so each byte string has one encoding', () => {
    // 'Zg' is "f"; 'Zh'..'Zv' carry the same byte with non-zero unused bits.
    for (const last of 'hijklmnopqrstuv') expect(decodeBase64url(`Z${last}`)).toBeNull()
    expect(decodeBase64url('Zm8')).toEqual(ascii('fo'))
    for (const last of '9-_') expect(decodeBase64url(`Zm${last}`)).toBeNull()
  })

  it('refuses a length no encoder produces (length % 4 == 1)', () => {
    for (const text of ['A', 'Zm9vY', 'Zm9vYmFyZ']) expect(decodeBase64url(text)).toBeNull()
  })

  it('isCanonicalBase64url accepts exactly the texts that decode leniently and encode back to themselves', () => {
    const characters = 'AQgwEIMUYcko048s-_zZ9+/=. é'
    let seed = 7
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed
    }
    for (let i = 0; i < 20_000; i++) {
      let text = ''
      for (let length = next() % 10; length > 0; length--) text += characters[next() % characters.length]
      // Only a canonical text survives a lenient decode and the encoder's way back.
      const bytes = lenientDecode(text)
      const canonical = bytes !== null && encodeBase64url(bytes) === text
      expect(isCanonicalBase64url(text), JSON.stringify(text)).toBe(canonical)
      expect(decodeBase64url(text) !== null, JSON.stringify(text)).toBe(canonical)
    }
  })

  it('isBase64urlText accepts the alphabet only', () => {
    expect(isBase64urlText('')).toBe(true)
    expect(isBase64urlText('AZaz09-_')).toBe(true)
    for (const bad of ['a=', 'a+', 'a/', 'a.b', 'ä', '\u0100']) expect(isBase64urlText(bad)).toBe(false)
  })
})
