import type { Claims } from '@tessera/core/internal'
import {
  assertCookieFits,
  checkValue,
  cookieAttributes,
  cookieMaxAge,
  encodeCookieValue,
  encodeValue,
  expirySeconds,
  protectNone,
  sessionClaims,
  toSeconds,
} from '@tessera/core/internal'
import Cookies from 'js-cookie'
import type { ClientEntry, ClientState } from './client-state'
import { commit, resolve } from './session-reader'

/*
 * Writes of browser-owned sessions (`protection: 'none'`), by core's session rules as the server
 * applies them (the value checked and encoded, the claims, the cookie's lifetime and size), into a
 * header store or a cookie written with js-cookie. The client imports this module on the first `set`
 * or `clear`.
 */

/** js-cookie without its value converters: tokens are cookie-safe, and core encodes the encodings. */
const jar = /* @__PURE__ */ Cookies.withConverter<string>({ read: (value) => value, write: (value) => value })

/** js-cookie attributes from the client's options, checked by core's cookie rules (prefixes, SameSite=None). */
function attributes({ name, cookie: options }: ClientEntry): Cookies.CookieAttributes {
  const checked = cookieAttributes(name, { ...options, httpOnly: false })
  const secure = checked.secure === 'auto' ? globalThis.location?.protocol === 'https:' : checked.secure
  const sameSite = options?.sameSite ?? 'lax'
  return {
    path: options?.path ?? '/',
    domain: options?.domain,
    sameSite: sameSite === false ? undefined : sameSite,
    secure: secure || undefined,
    partitioned: options?.partitioned || undefined,
  }
}

/**
 * Writes a token into the entry's cookie with the client's attributes. The lifetime is the option's
 * `maxAge`, else what remains of the token's (as the server does). `TOO_LARGE` over 4096 bytes.
 */
function writeCookie(entry: ClientEntry, token: string, claims: Claims, now: number): void {
  const { name, cookie: options } = entry
  const value = encodeCookieValue(token, options?.encoding ?? 'raw')
  assertCookieFits(name, value)
  const configured = options?.maxAge
  const maxAge = cookieMaxAge(
    configured === undefined || configured === null ? configured : toSeconds(configured, 'maxAge', name),
    claims.exp,
    now,
  )
  const written = attributes(entry)
  if (maxAge !== null) {
    written.expires = new Date((now + maxAge) * 1000)
    written['max-age'] = String(maxAge)
  }
  jar.set(name, value, written)
}

/**
 * Creates or replaces a browser-owned session: checked (`INVALID_VALUE`), encoded (`ENCODE_FAILED`),
 * written as a v1 `none` token into its cookie or header store. A session that is already running
 * keeps its start, so an absolute lifetime holds across writes.
 */
export async function writeSession(state: ClientState, entry: ClientEntry, value: unknown): Promise<void> {
  const checked = await checkValue(entry.descriptor, value)
  const text = await encodeValue(entry.descriptor, checked)
  const running = (await resolve(state, entry)) !== null
  const now = state.nowSeconds()
  const claims = sessionClaims(expirySeconds(entry.descriptor), running ? entry.iat : undefined, now)
  const token = protectNone(text, claims)
  if (entry.store) entry.store.set(entry.name, token)
  else writeCookie(entry, token, claims, now)
  commit(state, entry, entry.store ? token : encodeCookieValue(token, entry.cookie?.encoding ?? 'raw'), {
    value: checked,
    ...claims,
  })
}

/** Ends a browser-owned session, or forgets a header session's token. */
export function clearSession(state: ClientState, entry: ClientEntry): void {
  if (entry.store) entry.store.delete(entry.name)
  else jar.remove(entry.name, attributes(entry))
  commit(state, entry, undefined, null)
}
