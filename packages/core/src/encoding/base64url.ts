const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const LOOKUP = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

/** Encodes bytes as base64url without padding (RFC 4648 §5). */
export function encodeBase64url(bytes: Uint8Array): string {
  let out = ''
  const full = bytes.length - (bytes.length % 3)
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
  }
  const rest = bytes.length - full
  if (rest === 1) {
    const n = bytes[full]! << 16
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!
  } else if (rest === 2) {
    const n = (bytes[full]! << 16) | (bytes[full + 1]! << 8)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!
  }
  return out
}

/**
 * Decodes unpadded base64url. Returns null for anything else: padding, other alphabets, a length that
 * no encoder produces, or non-zero trailing bits (so every byte string has exactly one encoding).
 */
export function decodeBase64url(text: string): Uint8Array | null {
  const rest = text.length % 4
  if (rest === 1) return null
  const out = new Uint8Array(((text.length * 3) >> 2) | 0)
  let o = 0
  let i = 0
  const full = text.length - rest
  for (; i < full; i += 4) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = sextet(text, i + 2)
    const d = sextet(text, i + 3)
    if ((a | b | c | d) < 0) return null
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >> 16
    out[o++] = (n >> 8) & 255
    out[o++] = n & 255
  }
  if (rest === 2) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    if ((a | b) < 0 || (b & 15) !== 0) return null
    out[o++] = (a << 2) | (b >> 4)
  } else if (rest === 3) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = sextet(text, i + 2)
    if ((a | b | c) < 0 || (c & 3) !== 0) return null
    out[o++] = (a << 2) | (b >> 4)
    out[o++] = ((b & 15) << 4) | (c >> 2)
  }
  return out
}

/** The 6-bit value of one character, or -1 (so an OR of several is negative when any is invalid). */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index)
  return code < 128 ? LOOKUP[code]! : -1
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 128 || LOOKUP[code]! < 0) return false
  }
  return true
}
