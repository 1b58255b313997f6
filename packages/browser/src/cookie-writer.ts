import type { Claims, ClientKit } from '@tessera/core'
import Cookies from 'js-cookie'
import type { ClientEntry } from './client-state'

/*
 * Writing browser-owned cookie sessions, with js-cookie. The client imports this module the first time
 * a page writes or clears such a cookie: reading goes through core's cookie parser and needs none of it.
 */

/** js-cookie without its value converters: tokens are cookie-safe, and core encodes the encodings. */
const jar = Cookies.withConverter<string>({ read: (value) => value, write: (value) => value })

/** Ktor's default cookie lifetime, used when a token never expires (as on the server). */
const DEFAULT_MAX_AGE = 7 * 86_400

/** js-cookie attributes from the client's options, checked by core's cookie rules (prefixes, SameSite=None). */
function attributes(kit: ClientKit, { name, cookie: options }: ClientEntry): Cookies.CookieAttributes {
  const checked = kit.cookieAttributes(name, { ...options, httpOnly: false })
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
export function writeCookieToken(
  kit: ClientKit,
  entry: ClientEntry,
  { token, claims, now }: { readonly token: string; readonly claims: Claims; readonly now: number },
): void {
  const { encodeCookieValue, MAX_COOKIE_BYTES, SessionError, toSeconds } = kit
  const { name, cookie: options } = entry
  const value = encodeCookieValue(token, options?.encoding ?? 'raw')
  const bytes = name.length + 1 + value.length
  if (bytes > MAX_COOKIE_BYTES) {
    throw new SessionError(
      'TOO_LARGE',
      `session "${name}": the cookie would be ${bytes} bytes, over the browser limit of ${MAX_COOKIE_BYTES}`,
      { session: name },
    )
  }
  const configured = options?.maxAge
  const maxAge =
    configured === null
      ? null
      : configured !== undefined
        ? toSeconds(configured, 'maxAge', name)
        : claims.exp === 0
          ? DEFAULT_MAX_AGE
          : Math.max(claims.exp - now, 0)
  const written = attributes(kit, entry)
  if (maxAge !== null) {
    written.expires = new Date((now + maxAge) * 1000)
    written['max-age'] = String(maxAge)
  }
  jar.set(name, value, written)
}

/** Removes the entry's cookie (with the same path and domain it was written with). */
export function removeCookie(kit: ClientKit, entry: ClientEntry): void {
  jar.remove(entry.name, attributes(kit, entry))
}
