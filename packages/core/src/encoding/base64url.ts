const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/

/** Character code → 6-bit value (-1 outside the alphabet), built on first decode: no work at import. */
let lookup: Int8Array | undefined
function lookupTable(): Int8Array {
  if (!lookup) {
    lookup = new Int8Array(128).fill(-1)
    for (let i = 0; i < 64; i++) lookup[ALPHABET.charCodeAt(i)] = i
  }
  return lookup
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5).
 *
 * @example encodeBase64url(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export function encodeBase64url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!
    if (i + 1 < bytes.length) out += ALPHABET[(n >> 6) & 63]!
    if (i + 2 < bytes.length) out += ALPHABET[n & 63]!
  }
  return out
}

/**
 * Decodes unpadded base64url. Returns null for anything else: padding, other alphabets, a length that
 * no encoder produces, or non-zero trailing bits (so every byte string has exactly one encoding).
 *
 * @example decodeBase64url('-_8') // Uint8Array [0xfb, 0xff]; decodeBase64url('Zg==') // null
 */
export function decodeBase64url(text: string): Uint8Array | null {
  const table = lookupTable()
  const length = text.length
  if (length % 4 === 1) return null
  const out = new Uint8Array((length * 3) >> 2)
  let bits = 0
  let n = 0
  let o = 0
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    const value = code < 128 ? table[code]! : -1
    if (value < 0) return null
    n = (n << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = n >> bits
      n &= (1 << bits) - 1
    }
  }
  // What is left over must be zero bits: every byte string then has exactly one encoding.
  return n === 0 ? out : null
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  return BASE64URL_TEXT.test(text)
}
