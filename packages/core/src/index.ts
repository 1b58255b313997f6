// @tessera/core: what an application uses to define sessions and run them anywhere WebCrypto runs.
// What @tessera/browser and @tessera/node need beyond this is on @tessera/core/internal, which is not
// a public API.

export type { Awaitable } from './awaitable'
export type { CodecContext, SessionClass, SessionCodec, SuperjsonCodecOptions } from './codec'
export { createSuperjsonCodec, jsonCodec, superjsonCodec } from './codec'
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
export type { DataTokenOptions, DataTokens, OpenDataTokenOptions } from './engine/data-tokens'
export type {
  OpenOptions,
  RequestSessions,
  SessionLifetime,
  SessionSetOptions,
} from './engine/request-sessions'
export type { SessionMetadata } from './engine/server-store'
export type { ManagedSession, ManagedSessionValue } from './engine/session-admin'
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
export type { SessionTransformer } from './session-rules'
export type { StandardSchemaV1 } from './standard-schema'
export type { MemoryStorage, MemoryStorageOptions } from './storage/memory-storage'
export { memoryStorage } from './storage/memory-storage'
export type {
  OwnedSession,
  SessionStorage,
  StorageWriteOptions,
  StoredSession,
} from './storage/session-storage'
export type { Protection } from './wire/token'
