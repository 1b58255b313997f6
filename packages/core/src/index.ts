// @tessera/core: what an application uses to define sessions and run them anywhere WebCrypto runs.
// What @tessera/browser and @tessera/node need beyond this is on @tessera/core/internal, which is not
// a public API.

export type { Awaitable } from './awaitable'
export type { CodecContext, SessionCodec } from './codec'
export { jsonCodec, superjsonCodec } from './codec'
export type { CookieAttributeOptions, CookieEncoding, SameSite } from './cookie'
export type { KeyOptions, SessionKey } from './crypto/key-ring'
export type {
  Base64urlCodec,
  Ed25519Signer,
  Ed25519Verify,
  SessionCrypto,
  TagFunction,
} from './crypto/session-crypto'
export { webCrypto } from './crypto/web-crypto'
export type {
  AnySessionDescriptor,
  PossibleOptions,
  ResolveAccess,
  SessionAccess,
  SessionDescriptor,
  SessionExpiry,
  SessionOptions,
  SessionValue,
  StorageKind,
  Transport,
  ValueLiteral,
  Visibility,
} from './descriptor'
export { defineSession } from './descriptor'
export type { Duration } from './duration'
export type { InvalidSessionEvent, SessionErrorEvent, SessionOperation } from './engine/binding'
export type { OpenOptions, RequestSessions } from './engine/request-sessions'
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
export type { StandardSchemaV1 } from './standard-schema'
export type { MemoryStorage, MemoryStorageOptions } from './storage/memory-storage'
export { memoryStorage } from './storage/memory-storage'
export type { SessionStorage, StorageWriteOptions, StoredSession } from './storage/session-storage'
export type { SessionTransformer } from './transformer'
export type { Protection } from './wire/token'
