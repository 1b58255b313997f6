export type { RequireSessionOptions } from '../auth/session-auth'
export { fastifySessions } from './fastify-sessions'
export type { SessionGuardHook } from './require-session'
export { requireSession } from './require-session'
