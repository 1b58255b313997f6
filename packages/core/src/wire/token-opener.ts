import type { Awaitable } from '../codec/codec'
import type { Ed25519Verify } from '../crypto/session-crypto'
import { decodeBase64url } from '../encoding/base64url'
import { fromUtf8 } from '../encoding/utf8'
import type { InvalidReason } from '../errors'
import type { Protector } from './protector'
import type { Claims, TokenParts } from './token'
import { isExpired, parseToken } from './token'

/*
 * Opening tokens with no secret: `none` tokens, and Ed25519 tokens with public keys. What a browser
 * that reads sessions needs of the wire format; the protectors (./protector) build on it.
 */

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

export type OpenResult = OpenedToken | RefusedToken

const SIGNATURE_BYTES = 64

/** A refused token, and why. */
export const refuse = (reason: InvalidReason): RefusedToken => ({ ok: false, reason })

function decodePayload(body: string): string | null {
  const bytes = decodeBase64url(body)
  return bytes && fromUtf8(bytes)
}

/**
 * A token whose tag or signature verified (or a `none` token, which has none): refused when expired,
 * else its decoded payload and claims.
 */
export function openVerified(
  parts: TokenParts,
  now: number,
  stale: boolean,
  decodeText: (body: string) => string | null = decodePayload,
  kid: string | null = parts.kid,
): OpenResult {
  if (isExpired(parts, now)) return refuse('EXPIRED')
  const payload = decodeText(parts.body)
  return payload === null
    ? refuse('MALFORMED')
    : { ok: true, payload, iat: parts.iat, exp: parts.exp, kid, stale }
}

/** What the tag or signature covers: the token without its last part. */
export const signedPart = (token: string, parts: TokenParts) =>
  token.slice(0, token.length - parts.tag.length - 1)

/**
 * Opens a v1 `none` token at `now` (unix seconds): its payload and claims, or why it does not open.
 *
 * @example openNone(token, Math.floor(Date.now() / 1000)) // { ok: true, payload, iat, exp, kid: null, stale: false }
 */
export function openNone(token: string, now: number): OpenResult {
  const parts = parseToken(token, 'none')
  return typeof parts === 'string' ? refuse(parts) : openVerified(parts, now, false, decodePayload, null)
}

/**
 * Opens Ed25519 tokens with nothing but public keys: what a browser holds. `newestKid` marks which
 * key is current, so tokens of older keys are reported stale.
 */
export function createEd25519Opener(options: {
  readonly name: string
  readonly verifierFor: (kid: string) => Awaitable<Ed25519Verify | undefined>
  readonly newestKid?: string | undefined
}): Pick<Protector, 'open'> {
  const bound = `${options.name}\u0000`
  return {
    async open(token, now) {
      const parts = parseToken(token, 'ed25519')
      if (typeof parts === 'string') return refuse(parts)
      const signature = decodeBase64url(parts.tag)
      if (signature?.length !== SIGNATURE_BYTES) return refuse('MALFORMED')
      const verify = await options.verifierFor(parts.kid)
      if (!verify) return refuse('UNKNOWN_KEY')
      if (!(await verify(bound + signedPart(token, parts), signature))) return refuse('SIGNATURE_INVALID')
      return openVerified(parts, now, options.newestKid !== undefined && parts.kid !== options.newestKid)
    },
  }
}
