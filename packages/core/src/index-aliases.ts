import { MAX_DURATION_SECONDS as maxDurationSeconds, toSeconds as seconds } from './duration'
import { encodeBase64url as encode } from './encoding/base64url-encode'
import { HEADER_CLEARED as cleared } from './engine/session-io'
import {
  cookieAttributes as attributes,
  encodeCookieValue as encodeValue,
  MAX_COOKIE_BYTES as maxCookieBytes,
} from './transport/cookie-writing'
import { protectNone as protect } from './wire/protect-none'

/*
 * The package index's bindings of helpers that the client kit (./client-kit, loaded with import())
 * also holds. A bundler keeps every module that the index re-exports, and that anything in the app
 * uses, in the page's first chunk, lazy users included (esbuild #3531): re-exported directly, these
 * would load with every page that reads a session. Bound here, in a module that such a page never
 * uses, their modules are reached only through the kit.
 */

/**
 * Converts a duration to whole seconds (see ./duration).
 *
 * @example toSeconds('7d') // 604800
 */
export const toSeconds: typeof seconds = seconds

/**
 * The largest Max-Age a cookie gets, as Ktor caps it: 2^31 - 1 seconds.
 *
 * @example Math.min(seconds, MAX_DURATION_SECONDS)
 */
export const MAX_DURATION_SECONDS: typeof maxDurationSeconds = maxDurationSeconds

/**
 * Encodes bytes as base64url without padding (see ./encoding/base64url-encode).
 *
 * @example encodeBase64url(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export const encodeBase64url: typeof encode = encode

/**
 * Checks and renders cookie attributes (see ./transport/cookie-writing).
 *
 * @example cookieAttributes('cart', { sameSite: 'strict' }).tail // '; Path=/; HttpOnly; SameSite=Strict'
 */
export const cookieAttributes: typeof attributes = attributes

/**
 * Encodes a token for a cookie value.
 *
 * @example encodeCookieValue(token, 'uri')
 */
export const encodeCookieValue: typeof encodeValue = encodeValue

/**
 * The browser limit for one cookie's name and value together.
 *
 * @example if (cookie.length > MAX_COOKIE_BYTES) throw tooLarge
 */
export const MAX_COOKIE_BYTES: typeof maxCookieBytes = maxCookieBytes

/**
 * Writes a v1 `none` token (see ./wire/protect-none).
 *
 * @example protectNone('{"json":{"theme":"dark"}}', { iat: 1800000000, exp: 0 })
 */
export const protectNone: typeof protect = protect

/**
 * The value a header session's response header carries to tell the browser to drop its copy.
 *
 * @example if (response.headers.get('login') === HEADER_CLEARED) forget()
 */
export const HEADER_CLEARED: typeof cleared = cleared
