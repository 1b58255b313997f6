// @tessera/node: the server side. Adapters live in their own subpaths (/http, /express, /fastify,
// /fetch), storages too (/redis, /postgres, /directory), so nobody loads what they do not use.

export type {
  AnySessionDescriptor,
  Awaitable,
  CookieAttributeOptions,
  CookieEncoding,
  CookieSessionOptions,
  Duration,
  HeaderSessionOptions,
  IdentityContext,
  InvalidSessionEvent,
  MemoryStorage,
  MemoryStorageOptions,
  Protection,
  RequestSessions,
  SameSite,
  SessionCodec,
  SessionConfig,
  SessionCrypto,
  SessionDescriptor,
  SessionEngine,
  SessionErrorEvent,
  SessionIO,
  SessionKey,
  SessionOperation,
  SessionOptions,
  SessionStorage,
  SessionTransformer,
  SessionValue,
  StandardSchemaV1,
  StorageKind,
  StorageWriteOptions,
  StoredSession,
  Transport,
  TransportOptions,
  Visibility,
} from '@tessera/core'
export {
  cookie,
  defineSession,
  header,
  InvalidReason,
  isSessionError,
  jsonCodec,
  memoryStorage,
  SessionError,
  SessionErrorCode,
  superjsonCodec,
} from '@tessera/core'
export type { RequireSessionOptions } from './auth/session-auth'
export type { CreateSessionsOptions } from './create-sessions'
export { createSessions } from './create-sessions'
export { nodeCrypto } from './crypto/node-crypto'
export type { SessionErrorResponse } from './session-error-status'
export { sessionErrorResponse, sessionErrorStatus } from './session-error-status'
