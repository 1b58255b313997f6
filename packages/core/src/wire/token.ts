/*
 * The v1 wire format without keys: a token's layout, its claims, and the `none` protection (see
 * docs/wire-format.md). A token is ASCII, dot-separated, every variable part base64url or decimal, so
 * it is cookie- and header-safe as is. The keyed protections are in ./protector.
 */

import { decodeBase64urlText, encodeBase64url, isBase64urlText, utf8 } from '../encoding'
import type { InvalidReason } from '../errors'

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

/** A token that opened: its payload text and claims. */
export interface OpenedToken extends Claims {
  readonly ok: true
  readonly payload: string
  /** The key id that verified it (null for unprotected tokens). */
  readonly kid: string | null
  /** Verified with a key other than the ring's newest: the engine re-issues it. */
  readonly stale: boolean
}

/** A token that did not open, and why. */
export interface RefusedToken {
  readonly ok: false
  readonly reason: InvalidReason
}

/** What opening a token answers. */
export type OpenResult = OpenedToken | RefusedToken

/** A refused token, and why. */
export const refuse = (reason: InvalidReason): RefusedToken => ({ ok: false, reason })

const SECONDS = /^(?:0|[1-9][0-9]{0,11})$/

/** Parses a decimal claim; null unless it is canonical (no sign, no leading zero, at most 12 digits). */
export function parseSeconds(text: string | undefined): number | null {
  return SECONDS.test(text!) ? Number(text) : null
}

/** True when the claims are past their expiry at `now` (unix seconds). */
export function isExpired(claims: Claims, now: number): boolean {
  return claims.exp !== 0 && now >= claims.exp
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
 * anything else. The caller decodes and verifies.
 *
 * @example parseToken('v1.n.1800000000.0.e30', 'none') // { kid: '', iat: 1800000000, exp: 0, body: 'e30', tag: '' }
 */
export function parseToken(
  token: string,
  protection: 'none' | 'signed' | 'ed25519',
): TokenParts | 'MALFORMED' | 'WRONG_PROTECTION' {
  const parts = splitToken(token, protection)
  if (typeof parts === 'string') return parts
  // Read in place (this runs on every request): no copy of the parts, no joined string.
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

/** What a tag or signature covers: the token without its last part. */
export const signedPart = (token: string, parts: TokenParts): string =>
  token.slice(0, token.length - parts.tag.length - 1)

/**
 * A token whose tag or signature verified (or a `none` token, which has none): refused when expired,
 * else its decoded payload and claims.
 */
export function openVerified(
  parts: TokenParts,
  now: number,
  stale: boolean,
  decodeText: (body: string) => string | null = decodeBase64urlText,
  kid: string | null = parts.kid,
): OpenResult {
  if (isExpired(parts, now)) return refuse('EXPIRED')
  const payload = decodeText(parts.body)
  return payload === null
    ? refuse('MALFORMED')
    : { ok: true, payload, iat: parts.iat, exp: parts.exp, kid, stale }
}

/**
 * Writes a v1 `none` token (`v1.n.<iat>.<exp>.<payload>`): no key, no tag. For values the browser
 * owns, which the schema alone checks.
 *
 * @example protectNone('{"json":{"theme":"dark"}}', { iat: 1800000000, exp: 0 })
 */
export function protectNone(payload: string, { iat, exp }: Claims): string {
  return `${VERSION}.n.${iat}.${exp}.${encodeBase64url(utf8(payload))}`
}

/**
 * Opens a v1 `none` token at `now` (unix seconds): its payload and claims, or why it does not open.
 *
 * @example openNone(token, Math.floor(Date.now() / 1000)) // { ok: true, payload, iat, exp, kid: null, stale: false }
 */
export function openNone(token: string, now: number): OpenResult {
  const parts = parseToken(token, 'none')
  return typeof parts === 'string'
    ? refuse(parts)
    : openVerified(parts, now, false, decodeBase64urlText, null)
}
