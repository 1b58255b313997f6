/**
 * The v1 wire format, structure only (no crypto): see docs/wire-format.md. A token is ASCII,
 * dot-separated, every variable part base64url or decimal, so it is cookie- and header-safe as is.
 */

import { isBase64urlText } from '../encoding/base64url'

/** How a session value is protected on the wire. */
export type Protection = 'none' | 'signed' | 'ed25519' | 'sealed'

/** The letter that names each protection in a token's second part. */
export const PROTECTION_LETTER = {
  none: 'n',
  signed: 's',
  ed25519: 'e',
  sealed: 'x',
} as const satisfies Record<Protection, string>

export const VERSION = 'v1'

/** Tokens longer than this are refused before any work (cookies cannot exceed 4096 bytes anyway). */
export const MAX_TOKEN_LENGTH = 64 * 1024

/** Issued-at and expiry, unix seconds. `exp` 0 means the token itself never expires. */
export interface Claims {
  readonly iat: number
  readonly exp: number
}

const SECONDS = /^(?:0|[1-9][0-9]{0,11})$/

/** Parses a decimal claim; null unless it is canonical (no sign, no leading zero, at most 12 digits). */
export function parseSeconds(text: string | undefined): number | null {
  return SECONDS.test(text!) ? Number(text) : null
}

/**
 * Splits a token into its parts when it is a v1 token of `protection`; otherwise says why not:
 * `MALFORMED` for anything that is not a v1 token, `WRONG_PROTECTION` for a v1 token of another
 * protection (a downgrade attempt or a misconfiguration).
 */
export function splitToken(
  token: string,
  protection: Protection,
): string[] | 'MALFORMED' | 'WRONG_PROTECTION' {
  const parts = token.length > MAX_TOKEN_LENGTH ? [] : token.split('.')
  if (parts[0] !== VERSION) return 'MALFORMED'
  if (parts[1] !== PROTECTION_LETTER[protection]) {
    return /^[nsex]$/.test(parts[1]!) ? 'WRONG_PROTECTION' : 'MALFORMED'
  }
  // Parts: `none` 5, `signed` and `ed25519` 7, `sealed` 4.
  const count = protection === 'sealed' ? 4 : protection === 'none' ? 5 : 7
  return parts.length === count ? parts : 'MALFORMED'
}

/** The parts of a `none` (5 parts) or `signed`/`ed25519` (7 parts) token, checked for shape. */
export interface TokenParts extends Claims {
  /** The key id; empty for `none`. */
  readonly kid: string
  /** The payload, base64url. */
  readonly body: string
  /** The tag or signature, base64url; empty for `none`. */
  readonly tag: string
}

/**
 * Parses a `none` (`v1.n.<iat>.<exp>.<body>`) or `signed`/`ed25519` token
 * (`v1.<s|e>.<kid>.<iat>.<exp>.<body>.<tag>`), shape only: canonical claims, base64url text, a key id.
 * Otherwise says why not: `WRONG_PROTECTION` for a v1 token of another protection, `MALFORMED` for
 * anything else. One split, as the other protections do; the caller decodes and verifies.
 *
 * @example parseToken('v1.n.1800000000.0.e30', 'none') // { kid: '', iat: 1800000000, exp: 0, body: 'e30', tag: '' }
 */
export function parseToken(
  token: string,
  protection: 'none' | 'signed' | 'ed25519',
): TokenParts | 'MALFORMED' | 'WRONG_PROTECTION' {
  const parts = splitToken(token, protection)
  if (typeof parts === 'string') return parts
  // A `none` token has no key id and no tag: those fields are empty. Read in place (this runs on
  // every request): no copy of the parts, no joined string.
  const keyed = protection !== 'none'
  const at = keyed ? 3 : 2
  const kid = keyed ? parts[2]! : ''
  const iat = parseSeconds(parts[at])
  const exp = parseSeconds(parts[at + 1])
  const body = parts[at + 2]!
  const tag = keyed ? parts[6]! : ''
  return iat === null || exp === null || (keyed && !kid) || !isBase64urlText(body) || !isBase64urlText(tag)
    ? 'MALFORMED'
    : { kid, iat, exp, body, tag }
}

/** True when the claims are past their expiry at `now` (unix seconds). */
export function isExpired(claims: Claims, now: number): boolean {
  return claims.exp !== 0 && now >= claims.exp
}
