import { encodeBase64url } from '../encoding/base64url-encode'
import { utf8 } from '../encoding/utf8'
import { SessionError } from '../errors'
import type { CookieEncoding } from './cookie'

/*
 * What writing a cookie needs: its attributes checked against injection and the prefix rules, the
 * token encoded for the value, the size limit. The server's engine and the browser's writes share it;
 * a browser loads it only when it first writes (core's write kit).
 */

/** The browser limit for one cookie's name and value together. */
export const MAX_COOKIE_BYTES = 4096

/** Anything but visible ASCII and space, and the `;` `,` that would end or add an attribute. */
const UNSAFE_ATTRIBUTE = /[^\u0020-\u007e]|[;,]/
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/**
 * The attributes tessera writes itself, lowercase. An extension may not restate one: it would slip
 * past the prefix rules (a `Domain` on a `__Host-` cookie) and write the attribute twice, which
 * browsers resolve by dropping one or the whole cookie.
 */
const OWNED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'domain',
  'path',
  'expires',
  'max-age',
  'secure',
  'httponly',
  'samesite',
  'partitioned',
  'priority',
])

/** Encodes a token for a cookie value. */
export function encodeCookieValue(token: string, encoding: CookieEncoding): string {
  if (encoding === 'raw') return token
  if (encoding === 'uri') return encodeURIComponent(token)
  return encodeBase64url(utf8(token))
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
  /**
   * Further attributes, `name=value` or a bare `name` (`true`). Names are tokens; `Domain`, `Path`,
   * `Expires`, `Max-Age`, `Secure`, `HttpOnly`, `SameSite`, `Partitioned` and `Priority` (in any
   * case) are refused: they have options of their own, checked against the prefix rules.
   */
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
 * other than `/`), for SameSite=None or Partitioned without Secure, for an unknown SameSite or
 * Priority, and for an extension that restates one of these attributes (or Expires, Max-Age, HttpOnly).
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
    if (OWNED_ATTRIBUTES.has(key.toLowerCase())) {
      fail(`extension "${key}" restates an attribute tessera writes; use its option instead`)
    }
    tail += value === true ? `; ${key}` : `; ${key}=${value}`
  }
  return { tail, secure }
}
