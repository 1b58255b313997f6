export type { RequireSessionOptions } from '../auth/session-auth'
export { requireSession } from './require-session'
export type { FetchSessionsOptions } from './with-sessions'
export { respondToSessionError, sessionsOf, withSessions } from './with-sessions'
