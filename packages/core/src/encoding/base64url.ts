/**
 * Unpadded base64url as a canonical encoder writes it: only the alphabet, a length that is not 1
 * modulo 4, and zero bits past the last byte (after 2 characters the last is one of `AQgw`, after 3
 * one of `AEIMQUYcgkosw048`), so every byte string has exactly one text.
 */
const CANONICAL = /^(?:[\w-]{4})*(?:[\w-][AQgw]|[\w-]{2}[AEIMQUYcgkosw048])?$/

/** True when `text` is canonical unpadded base64url, the only form tessera decodes. */
export const isCanonicalBase64url = (text: string): boolean => CANONICAL.test(text)

/**
 * Decodes unpadded base64url. Returns null for anything else: padding, other alphabets, a length that
 * no encoder produces, or non-zero trailing bits (so every byte string has exactly one encoding).
 * Checked first, then decoded by the runtime's own `atob`.
 *
 * @example decodeBase64url('-_8') // Uint8Array [0xfb, 0xff]; decodeBase64url('Zg==') // null
 */
export function decodeBase64url(text: string): Uint8Array | null {
  return CANONICAL.test(text)
    ? Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0))
    : null
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  return /^[\w-]*$/.test(text)
}
