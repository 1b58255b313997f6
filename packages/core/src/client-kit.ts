/*
 * Core's helpers for a client that writes its own sessions or carries header sessions: expiry in
 * seconds, `none` tokens, cookie attributes and encodings, the cleared marker, and the error class.
 * Loaded with `loadClientKit()` (nothing imports this module statically), so a page that only reads
 * sessions never downloads them.
 */

export { expirySeconds } from './descriptor-expiry'
export { toSeconds } from './duration'
export { HEADER_CLEARED } from './engine/session-io'
export { SessionError } from './errors'
export { cookieAttributes, encodeCookieValue, MAX_COOKIE_BYTES } from './transport/cookie-writing'
export { protectNone } from './wire/protect-none'
