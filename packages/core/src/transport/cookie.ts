import { decodeBase64url, encodeBase64url } from '../encoding/base64url'
import { fromUtf8, utf8 } from '../encoding/utf8'
import { SessionError } from '../errors'

/** How a token is written into the cookie value. Tokens are cookie-safe, so `raw` is the default. */
export type CookieEncoding = 'raw' | 'uri' | 'base64url'

/** The browser limit for one cookie's name and value together. */
export const MAX_COOKIE_BYTES = 4096

/** Characters that would end a cookie value, split a header or add an attribute. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
/** Anything but visible ASCII and space, and the `;` `,` that would end or add an attribute. */
const UNSAFE_ATTRIBUTE = /[^\u0020-\u007e]|[;,]/
const COOKIE_VALUE = /^[!#-+\--:<-[\]-~]*$/
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Finds one cookie in a Cookie header without splitting the whole header. The first cookie of that
 * name wins (browsers send the most specific path first). Surrounding double quotes are removed.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  let from = 0
  while (from < header.length) {
    const at = header.indexOf(name, from)
    if (at < 0) return undefined
    const end = at + name.length
    if (header.charCodeAt(end) === 61 /* = */ && isCookieStart(header, at)) {
      let stop = header.indexOf(';', end)
      if (stop < 0) stop = header.length
      let value = header.slice(end + 1, stop).trim()
      if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
        value = value.slice(1, -1)
      }
      return value
    }
    from = at + 1
  }
  return undefined
}

/** True when position `at` begins a cookie pair: start of header, or after `;` and optional spaces. */
function isCookieStart(header: string, at: number): boolean {
  let i = at - 1
  while (i >= 0 && (header.charCodeAt(i) === 32 || header.charCodeAt(i) === 9)) i--
  return i < 0 || header.charCodeAt(i) === 59 /* ; */
}

/** Encodes a token for a cookie value. */
export function encodeCookieValue(token: string, encoding: CookieEncoding): string {
  if (encoding === 'raw') return token
  if (encoding === 'uri') return encodeURIComponent(token)
  return encodeBase64url(utf8(token))
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

export type SameSite = 'lax' | 'strict' | 'none'

/** Cookie attributes, checked once by {@link cookieAttributes}. */
export interface CookieAttributeOptions {
  readonly domain?: string | undefined
  readonly path?: string | undefined
  readonly secure?: boolean | 'auto' | undefined
  readonly httpOnly?: boolean | undefined
  readonly sameSite?: SameSite | false | undefined
  readonly partitioned?: boolean | undefined
  readonly priority?: 'low' | 'medium' | 'high' | undefined
  readonly extensions?: Readonly<Record<string, string | true>> | undefined
}

/**
 * Attributes rendered once: `tail` is everything after Max-Age/Expires except Secure, which may
 * depend on the request; `secure` says when to add it.
 */
export interface CookieAttributes {
  readonly tail: string
  readonly secure: boolean | 'auto'
}

const capitalize = (value: string) => value[0]!.toUpperCase() + value.slice(1)

/**
 * Validates attributes against injection and the cookie prefix rules and renders them. Throws
 * `SessionError('INVALID_OPTION')` for a value that would split the header or add an attribute, for
 * `__Secure-`/`__Host-` names (in any case) without Secure (or, for `__Host-`, with a Domain or a Path
 * other than `/`), for SameSite=None or Partitioned without Secure, and for an unknown SameSite or Priority.
 *
 * @example cookieAttributes('cart', { sameSite: 'strict' }).tail // '; Path=/; HttpOnly; SameSite=Strict'
 */
export function cookieAttributes(name: string, options: CookieAttributeOptions): CookieAttributes {
  const fail = (rule: string): never => {
    throw new SessionError('INVALID_OPTION', `cookie "${name}": ${rule}`, { session: name })
  }
  const { domain, partitioned, priority } = options
  const path = options.path ?? '/'
  const secure = options.secure ?? 'auto'
  const sameSite = options.sameSite ?? 'lax'
  const unsafe = (value: unknown) => typeof value !== 'string' || UNSAFE_ATTRIBUTE.test(value)
  if (domain === '' || path === '' || (domain !== undefined && unsafe(domain)) || unsafe(path)) {
    fail('domain and path must be non-empty, without controls, ";" or ","')
  }
  // Browsers match the prefixes case-insensitively (RFC 6265bis), so `__host-` is held to the same rules.
  const prefix = name.slice(0, 9).toLowerCase()
  const host = prefix.startsWith('__host-')
  if (secure !== true && (host || prefix === '__secure-' || sameSite === 'none' || partitioned)) {
    fail('__Secure-, __Host-, SameSite=None and Partitioned need secure: true')
  }
  if (host && (domain !== undefined || path !== '/')) fail('__Host- needs path "/" and no domain')
  if (sameSite !== false && !['lax', 'strict', 'none'].includes(sameSite))
    fail('sameSite must be lax, strict, none or false')
  if (priority !== undefined && !['low', 'medium', 'high'].includes(priority))
    fail('priority must be low, medium or high')

  let tail = domain === undefined ? '' : `; Domain=${domain}`
  tail += `; Path=${path}`
  if (options.httpOnly ?? true) tail += '; HttpOnly'
  if (sameSite) tail += `; SameSite=${capitalize(sameSite)}`
  if (partitioned) tail += '; Partitioned'
  if (priority) tail += `; Priority=${capitalize(priority)}`
  for (const [key, value] of Object.entries(options.extensions ?? {})) {
    if (!TOKEN.test(key) || (value !== true && unsafe(value))) {
      fail(`extension "${key.slice(0, 40)}" needs a token name, and a value without controls, ";" or ","`)
    }
    tail += value === true ? `; ${key}` : `; ${key}=${value}`
  }
  return { tail, secure }
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
