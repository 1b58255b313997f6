export { checkDescriptor } from './check-descriptor'
export type { Awaitable, CodecContext, SessionCodec } from './codec/codec'
export { jsonCodec } from './codec/json-codec'
export { superjsonCodec } from './codec/superjson-codec'
export type { SessionTransformer } from './codec/transformer'
export { createEd25519Verifier } from './crypto/ed25519-verifier'
export type { KeyOptions, KeyPurpose, KeyRing, SessionKey } from './crypto/key-ring'
export { createKeyRing, DEFAULT_KEY_ID, deriveKey, MIN_SECRET_BYTES } from './crypto/key-ring'
export type {
  Base64urlCodec,
  Ed25519Signer,
  Ed25519Verify,
  SessionCrypto,
  TagFunction,
} from './crypto/session-crypto'
export { timingSafeEqualBytes, timingSafeEqualText } from './crypto/session-crypto'
export { webCrypto } from './crypto/web-crypto'
export type {
  AnySessionDescriptor,
  ResolveAccess,
  SessionAccess,
  SessionDescriptor,
  SessionExpiry,
  SessionOptions,
  SessionValue,
  StorageKind,
  Transport,
  Visibility,
} from './descriptor'
export { assertNameFor, assertSessionName, defineSession } from './descriptor'
export type { ExpirySeconds } from './descriptor-expiry'
export type { Duration } from './duration'
export { decodeBase64url, isCanonicalBase64url } from './encoding/base64url'
export type { EngineInternals, InvalidSessionEvent } from './engine/engine-internals'
export type { OpenOptions } from './engine/request-sessions'
export { RequestSessions } from './engine/request-sessions'
export type {
  CookieSessionOptions,
  HeaderSessionOptions,
  IdentityContext,
  SessionConfig,
  TransportOptions,
} from './engine/session-config'
export { cookie, header } from './engine/session-config'
export type { SessionEngine, SessionEngineOptions } from './engine/session-engine'
export { createSessionEngine } from './engine/session-engine'
export type { SessionIO } from './engine/session-io'
export { InvalidReason, isSessionError, SessionError, SessionErrorCode } from './errors'
export { randomId, SESSION_ID } from './identity'
export {
  cookieAttributes,
  encodeBase64url,
  encodeCookieValue,
  HEADER_CLEARED,
  MAX_COOKIE_BYTES,
  MAX_DURATION_SECONDS,
  protectNone,
  toSeconds,
} from './index-aliases'
export type { ClientKit } from './load-client-kit'
export { loadClientKit } from './load-client-kit'
export type { SchemaOutcome, StandardSchemaV1 } from './standard-schema'
export { validateWith } from './standard-schema'
export type { MemoryStorage, MemoryStorageOptions } from './storage/memory-storage'
export { memoryStorage } from './storage/memory-storage'
export type { SessionStorage, StorageWriteOptions, StoredSession } from './storage/session-storage'
export type { CookieAttributeOptions, CookieAttributes, CookieEncoding, SameSite } from './transport/cookie'
export { decodeCookieValue, readCookie, serializeCookie } from './transport/cookie'
export type { Protector, ProtectorOptions } from './wire/protector'
export { createProtector } from './wire/protector'
export type { Claims, Protection, TokenParts } from './wire/token'
export { MAX_TOKEN_LENGTH, PROTECTION_LETTER, parseToken, splitToken } from './wire/token'
export type { OpenedToken, OpenResult, RefusedToken } from './wire/token-opener'
export { createEd25519Opener, openNone } from './wire/token-opener'
