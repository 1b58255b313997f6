/** The characters a canonical encoding can end with after 2 and after 3 characters (zero trailing bits). */
const LAST = ['', '', 'AQgw', 'AEIMQUYcgkosw048']

/**
 * True when `text` is unpadded base64url as a canonical encoder writes it, the only form tessera
 * decodes: only the alphabet, a length that is not 1 modulo 4, and zero bits past the last byte, so
 * every byte string has exactly one text. (One regular expression could say it all, but runs slower
 * on the server's hot path than this.)
 */
export function isCanonicalBase64url(text: string): boolean {
  const rest = text.length % 4
  return /^[\w-]*$/.test(text) && (rest === 0 || LAST[rest]!.includes(text[text.length - 1]!))
}

/**
 * Decodes unpadded base64url. Returns null for anything else: padding, other alphabets, a length that
 * no encoder produces, or non-zero trailing bits (so every byte string has exactly one encoding).
 * Checked first, then decoded by the runtime's own `atob`.
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

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  return /^[\w-]*$/.test(text)
}
