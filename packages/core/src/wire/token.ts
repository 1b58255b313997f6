/**
 * The v1 wire format, structure only (no crypto): see docs/wire-format.md. A token is ASCII,
 * dot-separated, every variable part base64url or decimal, so it is cookie- and header-safe as is.
 */

/** How a session value is protected on the wire. */
export type Protection = 'none' | 'signed' | 'ed25519' | 'sealed'

/** The letter that names each protection in a token's second part. */
export const PROTECTION_LETTER = {
  none: 'n',
  signed: 's',
  ed25519: 'e',
  sealed: 'x',
} as const satisfies Record<Protection, string>

/** Number of dot-separated parts of a token of each protection. */
export const PROTECTION_PARTS = { none: 5, signed: 7, ed25519: 7, sealed: 4 } as const satisfies Record<
  Protection,
  number
>

export const VERSION = 'v1'

/** Tokens longer than this are refused before any work (cookies cannot exceed 4096 bytes anyway). */
export const MAX_TOKEN_LENGTH = 64 * 1024

/** Issued-at and expiry, unix seconds. `exp` 0 means the token itself never expires. */
export interface Claims {
  readonly iat: number
  readonly exp: number
}

/** Any protection letter of {@link PROTECTION_LETTER}. */
const LETTER = /^[nsex]$/
const SECONDS = /^(?:0|[1-9][0-9]{0,11})$/

/** Parses a decimal claim; null unless it is canonical (no sign, no leading zero, at most 12 digits). */
export function parseSeconds(text: string): number | null {
  return SECONDS.test(text) ? Number(text) : null
}

/**
 * Splits a token into its parts when it is a v1 token of `protection`; otherwise says why not:
 * `'malformed'` for anything that is not a v1 token, `'wrong-protection'` for a v1 token of another
 * protection (a downgrade attempt or a misconfiguration).
 */
export function splitToken(
  token: string,
  protection: Protection,
): string[] | 'malformed' | 'wrong-protection' {
  if (token.length > MAX_TOKEN_LENGTH || !token.startsWith('v1.')) return 'malformed'
  const parts = token.split('.')
  const letter = parts[1]!
  if (letter !== PROTECTION_LETTER[protection]) return LETTER.test(letter) ? 'wrong-protection' : 'malformed'
  return parts.length === PROTECTION_PARTS[protection] ? parts : 'malformed'
}

/** True when the claims are past their expiry at `now` (unix seconds). */
export function isExpired(claims: Claims, now: number): boolean {
  return claims.exp !== 0 && now >= claims.exp
}
