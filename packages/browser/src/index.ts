export type {
  BrowserOwnedSession,
  ClientCookieOptions,
  ClientHeaderOptions,
  ClientSessionEntry,
  ClientSessionOptions,
  EntryDescriptor,
  FetchLike,
  HeaderSession,
  ReadableSession,
  SessionClient,
  SessionClientOptions,
  SessionListener,
} from './client-types'
export type { HeaderStore, HeaderStoreKind } from './header-store'
export type { ReadSessionOptions } from './read-session'
export { readSession } from './read-session'
export { createSessionClient } from './session-client'
