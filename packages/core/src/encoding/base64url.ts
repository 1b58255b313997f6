import { ALPHABET } from './base64url-alphabet'

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/

/** Character code → 6-bit value (-1 outside the alphabet), built on first decode: no work at import. */
let lookup: Int16Array | undefined
function lookupTable(): Int16Array {
  if (!lookup) {
    lookup = new Int16Array(128).fill(-1)
    for (let i = 0; i < 64; i++) lookup[ALPHABET.charCodeAt(i)] = i
  }
  return lookup
}

/**
 * Decodes unpadded base64url. Returns null for anything else: padding, other alphabets, a length that
 * no encoder produces, or non-zero trailing bits (so every byte string has exactly one encoding).
 *
 * @example decodeBase64url('-_8') // Uint8Array [0xfb, 0xff]; decodeBase64url('Zg==') // null
 */
export function decodeBase64url(text: string): Uint8Array | null {
  const table = lookupTable()
  const rest = text.length % 4
  if (rest === 1) return null
  const out = new Uint8Array((text.length * 3) >> 2)
  const full = text.length - rest
  let o = 0
  let i = 0
  for (; i < full; i += 4) {
    const n =
      (sextet(table, text, i) << 18) |
      (sextet(table, text, i + 1) << 12) |
      (sextet(table, text, i + 2) << 6) |
      sextet(table, text, i + 3)
    if (n < 0) return null
    out[o++] = n >> 16
    out[o++] = (n >> 8) & 255
    out[o++] = n & 255
  }
  if (rest !== 0) {
    // The bits past the last byte must be zero: every byte string then has exactly one encoding.
    const c = rest === 3 ? sextet(table, text, i + 2) : 0
    const n = (sextet(table, text, i) << 18) | (sextet(table, text, i + 1) << 12) | (c << 6)
    if (n < 0 || (n & (rest === 2 ? 0xffff : 0xff)) !== 0) return null
    out[o++] = n >> 16
    if (rest === 3) out[o] = (n >> 8) & 255
  }
  return out
}

/** The 6-bit value of one character, or -1 (so an OR of several is negative when any is invalid). */
function sextet(table: Int16Array, text: string, index: number): number {
  const code = text.charCodeAt(index)
  return code < 128 ? table[code]! : -1
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  return BASE64URL_TEXT.test(text)
}
