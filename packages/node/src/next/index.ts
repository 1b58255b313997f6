// @tessera/node/next: sessions in Next's App Router. Server Components read (readSessions); Server
// Actions and Route Handlers write (writeSessions); middleware and Route Handlers that take the
// Request wrap it with withSessions. Nothing here imports node:*, so middleware runs it on the edge
// runtime with an engine made by core's createSessionEngine on webCrypto.
export type { RequireSessionOptions } from '../auth/session-auth'
export type { FetchSessionsOptions } from '../fetch/with-sessions'
export { sessionsOf, withSessions } from '../fetch/with-sessions'
export type { ReadonlySessions } from './read-sessions'
export { readSessions } from './read-sessions'
export { requireSession } from './require-session'
export { writeSessions } from './write-sessions'
