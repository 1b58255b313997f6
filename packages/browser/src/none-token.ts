import type { Claims, OpenResult } from '@tessera/core'
import { decodeBase64url, encodeBase64url, InvalidReason, splitToken } from '@tessera/core'

/*
 * The v1 `none` token, `v1.n.<iat>.<exp>.<body>` (docs/wire-format.md), for browser-owned sessions.
 * Core writes it inside `createProtector`, which also carries the HMAC, sealing and signing code a
 * browser never runs; this is the same rule on core's exported pieces (split, base64url), checked
 * against the shared vectors byte for byte.
 */

/** Canonical decimal claims: `0`, or 1 to 12 digits without a leading zero. */
const SECONDS = /^(?:0|[1-9][0-9]{0,11})$/
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Writes a `none` token for a payload (the codec's text) and its claims. */
export function protectNone(payload: string, { iat, exp }: Claims): string {
  return `v1.n.${iat}.${exp}.${encodeBase64url(encoder.encode(payload))}`
}

/** Opens a `none` token at `now` (unix seconds): its payload and claims, or why it does not open. */
export function openNone(token: string, now: number): OpenResult {
  const parts = splitToken(token, 'none')
  if (!Array.isArray(parts)) {
    return {
      ok: false,
      reason: parts === 'malformed' ? InvalidReason.MALFORMED : InvalidReason.WRONG_PROTECTION,
    }
  }
  const [, , iatText, expText, body] = parts as [string, string, string, string, string]
  const bytes = decodeBase64url(body)
  let payload: string | undefined
  try {
    payload = bytes ? decoder.decode(bytes) : undefined
  } catch {
    payload = undefined
  }
  if (!SECONDS.test(iatText) || !SECONDS.test(expText) || payload === undefined) {
    return { ok: false, reason: InvalidReason.MALFORMED }
  }
  const exp = Number(expText)
  if (exp !== 0 && now >= exp) return { ok: false, reason: InvalidReason.EXPIRED }
  return { ok: true, payload, iat: Number(iatText), exp, kid: null, stale: false }
}
