export type { RequireSessionOptions } from '../auth/session-auth'
export { requireSession } from './require-session'
export type { NodeSessionsOptions, SessionHandler, SessionRequest } from './with-sessions'
export { withSessions } from './with-sessions'
