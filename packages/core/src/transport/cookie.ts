import { decodeBase64url } from '../encoding/base64url'
import { fromUtf8 } from '../encoding/utf8'
import { SessionError } from '../errors'
import type { CookieAttributes } from './cookie-writing'

export type { CookieAttributeOptions, CookieAttributes, SameSite } from './cookie-writing'

/*
 * Reading cookies (what a page that only reads needs) and rendering Set-Cookie lines (the server's).
 * Checking attributes and encoding values for writing are in ./cookie-writing.
 */

/** How a token is written into the cookie value. Tokens are cookie-safe, so `raw` is the default. */
export type CookieEncoding = 'raw' | 'uri' | 'base64url'

/** What a cookie value may hold (RFC 6265 cookie-octet). */
const COOKIE_VALUE = /^[!#-+\--:<-[\]-~]*$/

/**
 * Finds one cookie in a Cookie header without splitting the whole header: the first of that name
 * (browsers send the most specific path first; the server's engine tries each, see
 * {@link readCookies}). Surrounding double quotes are removed.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  const start = findCookie(header, name, 0)
  return start < 0 ? undefined : valueAt(header, start)
}

/**
 * Every cookie of that name in a Cookie header, in the order sent, in one scan of the header. Several
 * come when cookies of one name were set for different paths or for a parent domain (cookie tossing):
 * browsers send the longer path first, and among equal paths the older cookie first.
 *
 * @example readCookies('cart=v1.a; theme=dark; cart=v1.b', 'cart') // ['v1.a', 'v1.b']
 */
export function readCookies(header: string | undefined, name: string): string[] {
  const values: string[] = []
  if (!header) return values
  for (let start = findCookie(header, name, 0); start >= 0; start = findCookie(header, name, start)) {
    values.push(valueAt(header, start))
  }
  return values
}

/** Where the value of the next cookie named `name` begins, searching from `from`; -1 when none. */
function findCookie(header: string, name: string, from: number): number {
  while (from < header.length) {
    const at = header.indexOf(name, from)
    if (at < 0) return -1
    const end = at + name.length
    if (header.charCodeAt(end) === 61 /* = */ && isCookieStart(header, at)) return end + 1
    from = at + 1
  }
  return -1
}

/** The cookie value that begins at `start`: up to the next `;`, trimmed, surrounding quotes removed. */
function valueAt(header: string, start: number): string {
  let stop = header.indexOf(';', start)
  if (stop < 0) stop = header.length
  const value = header.slice(start, stop).trim()
  return value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34
    ? value.slice(1, -1)
    : value
}

/** True when position `at` begins a cookie pair: start of header, or after `;` and optional spaces. */
function isCookieStart(header: string, at: number): boolean {
  let i = at - 1
  while (i >= 0 && (header.charCodeAt(i) === 32 || header.charCodeAt(i) === 9)) i--
  return i < 0 || header.charCodeAt(i) === 59 /* ; */
}

/** Decodes a cookie value back to a token; null when it is not valid in that encoding. */
export function decodeCookieValue(value: string, encoding: CookieEncoding): string | null {
  if (encoding === 'raw') return value
  if (encoding === 'uri') {
    try {
      return decodeURIComponent(value)
    } catch {
      return null
    }
  }
  const bytes = decodeBase64url(value)
  return bytes && fromUtf8(bytes)
}

/** Formats an Expires date; the last one is cached, as many cookies share a second. */
let expiresCache = { seconds: -1, text: '' }
function expiresAt(unixSeconds: number): string {
  if (expiresCache.seconds !== unixSeconds) {
    expiresCache = { seconds: unixSeconds, text: new Date(unixSeconds * 1000).toUTCString() }
  }
  return expiresCache.text
}

export const EPOCH_EXPIRES = 'Thu, 01 Jan 1970 00:00:00 GMT'

/**
 * Renders a Set-Cookie value. `maxAge` null gives a browser-session cookie (neither Max-Age nor
 * Expires); 0 expires it at once.
 */
export function serializeCookie(
  name: string,
  value: string,
  attributes: CookieAttributes,
  options: { maxAge: number | null; now: number; secure: boolean },
): string {
  if (!COOKIE_VALUE.test(value)) {
    throw new SessionError(
      'INVALID_VALUE',
      `cookie "${name}": the value has characters a cookie cannot hold`,
      {
        session: name,
      },
    )
  }
  let cookie = `${name}=${value}`
  if (options.maxAge !== null) {
    cookie +=
      options.maxAge === 0
        ? `; Max-Age=0; Expires=${EPOCH_EXPIRES}`
        : `; Max-Age=${options.maxAge}; Expires=${expiresAt(options.now + options.maxAge)}`
  }
  cookie += attributes.tail
  if (attributes.secure === true || (attributes.secure === 'auto' && options.secure)) cookie += '; Secure'
  return cookie
}
