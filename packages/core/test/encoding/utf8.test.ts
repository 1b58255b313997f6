import { describe, expect, it } from 'vitest'
import { fromUtf8, utf8 } from '../../src/encoding'

describe('utf8', () => {
  it('round-trips ASCII, accents, CJK and astral characters', () => {
    for (const text of ['', 'cart', 'café', '購物車', '🛒 x2', 'a\u0000b']) {
      expect(fromUtf8(utf8(text))).toBe(text)
    }
  })

  it('encodes to the UTF-8 bytes', () => {
    expect([...utf8('é')]).toEqual([0xc3, 0xa9])
    expect([...utf8('🛒')]).toEqual([0xf0, 0x9f, 0x9b, 0x92])
  })

  it('returns null for bytes that are not valid UTF-8', () => {
    const invalid = [
      [0xff],
      [0xc0, 0x80], // overlong NUL
      [0xe2, 0x82], // truncated sequence
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0x80], // a lone continuation byte
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
    ]
    for (const bytes of invalid) expect(fromUtf8(new Uint8Array(bytes)), String(bytes)).toBeNull()
  })
})
