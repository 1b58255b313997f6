/*
 * The two encodings every token uses: base64url (RFC 4648 §5, unpadded, one text per byte string)
 * and UTF-8 (fatal on invalid input), and the constant-time comparison of their texts (tags and
 * signatures). Portable: the runtime's `atob`, `TextEncoder` and `TextDecoder`.
 */

/** The base64url alphabet, by 6-bit value. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** The characters a canonical text can end with after 2 and after 3 characters (zero trailing bits). */
const LAST = ['', '', 'AQgw', 'AEIMQUYcgkosw048']

/**
 * Encodes bytes as base64url without padding.
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
 * True when every character of `text` is in the base64url alphabet.
 *
 * @example isBase64urlText('a-b_c') // true
 */
export const isBase64urlText = (text: string): boolean => /^[\w-]*$/.test(text)

/**
 * True when `text` is unpadded base64url as a canonical encoder writes it, the only form tessera
 * decodes: only the alphabet, a length that is not 1 modulo 4, and zero bits past the last byte, so
 * every byte string has exactly one text. (One regular expression could say it all, but runs slower
 * on the server's hot path than this.)
 *
 * @example isCanonicalBase64url('-_8') // true; isCanonicalBase64url('-_9') // false
 */
export function isCanonicalBase64url(text: string): boolean {
  const rest = text.length % 4
  return isBase64urlText(text) && (rest === 0 || LAST[rest]!.includes(text[text.length - 1]!))
}

/**
 * Decodes canonical unpadded base64url; null for anything else (padding, other alphabets, a length no
 * encoder writes, non-zero trailing bits).
 *
 * @example decodeBase64url('-_8') // Uint8Array [0xfb, 0xff]; decodeBase64url('Zg==') // null
 */
export function decodeBase64url(text: string): Uint8Array | null {
  if (!isCanonicalBase64url(text)) return null
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  // A plain loop: Uint8Array.from(binary, mapper) is ten times slower.
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

let encoder: InstanceType<typeof TextEncoder> | undefined
let decoder: InstanceType<typeof TextDecoder> | undefined

/**
 * UTF-8 bytes of a string.
 *
 * @example utf8('é') // Uint8Array [0xc3, 0xa9]
 */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  encoder ??= new TextEncoder()
  return encoder.encode(text)
}

/**
 * The string of UTF-8 bytes, or null when they are not valid UTF-8.
 *
 * @example fromUtf8(new Uint8Array([0xff])) // null
 */
export function fromUtf8(bytes: Uint8Array): string | null {
  decoder ??= new TextDecoder('utf-8', { fatal: true })
  try {
    return decoder.decode(bytes)
  } catch {
    return null
  }
}

/**
 * The UTF-8 text of base64url `text`; null when either layer is invalid.
 *
 * @example decodeBase64urlText('aGk') // 'hi'
 */
export function decodeBase64urlText(text: string): string | null {
  const bytes = decodeBase64url(text)
  return bytes && fromUtf8(bytes)
}

/**
 * Compares two strings in time that depends only on their lengths: for tags, signatures and handles.
 *
 * @example timingSafeEqualText(expectedTag, parts.tag)
 */
export function timingSafeEqualText(a: string, b: string): boolean {
  let diff = a.length ^ b.length
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
