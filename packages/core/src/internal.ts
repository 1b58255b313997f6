// @tessera/core/internal: what @tessera/browser and @tessera/node share with core beyond the public
// API. NOT a public API: names here change in any release, without notice. Applications import
// @tessera/core (or @tessera/browser, @tessera/node) instead.

export { isPromiseLike, loadOnce, when } from './awaitable'
export { parseJson } from './codec'
export type { CookieAttributes } from './cookie'
export {
  assertCookieFits,
  cookieAttributes,
  cookieMaxAge,
  DEFAULT_MAX_AGE,
  decodeCookieValue,
  encodeCookieValue,
  MAX_COOKIE_BYTES,
  readCookie,
  readCookies,
  serializeCookie,
} from './cookie'
export type { KeyPurpose, KeyRing } from './crypto/key-ring'
export { createKeyRing, DEFAULT_KEY_ID, deriveKey, KEY_ID, MIN_SECRET_BYTES } from './crypto/key-ring'
export { assertEd25519Key, ED25519_KEY_BYTES } from './crypto/session-crypto'
export type { NaclModule } from './crypto/web-crypto'
export { createEd25519Verifier, loadNacl } from './crypto/web-crypto'
export type { ExpirySeconds } from './descriptor'
export {
  assertNameFor,
  assertSessionName,
  checkDescriptor,
  checkPublicKeys,
  expirySeconds,
  isReadable,
} from './descriptor'
export { MAX_DURATION_SECONDS, toSeconds } from './duration'
export {
  decodeBase64url,
  decodeBase64urlText,
  encodeBase64url,
  fromUtf8,
  isCanonicalBase64url,
  timingSafeEqualText,
  utf8,
} from './encoding'
export type { Binding, EngineInternals } from './engine/binding'
export { RequestSessions } from './engine/request-sessions'
export { assertOwner, MAX_OWNER_LENGTH, randomId, SESSION_ID } from './engine/server-store'
export { HEADER_CLEARED } from './engine/session-io'
export { assertKnownOptions } from './option-names'
export type { ReadValue } from './session-rules'
export {
  assertValue,
  checkValue,
  codecContext,
  encodeValue,
  openPayload,
  readValue,
  sessionClaims,
  transformRead,
  transformWrite,
} from './session-rules'
export type { SchemaOutcome } from './standard-schema'
export { validateWith } from './standard-schema'
export type { Protector, ProtectorOptions } from './wire/protector'
export { createEd25519Opener, createProtector, withSealingNonce } from './wire/protector'
export type { Claims, OpenedToken, OpenResult, RefusedToken, TokenParts } from './wire/token'
export {
  MAX_TOKEN_LENGTH,
  openNone,
  PROTECTION_LETTER,
  parseToken,
  protectNone,
  splitToken,
} from './wire/token'
