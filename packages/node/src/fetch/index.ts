export type { PrincipalAccessor } from '../auth/guards'
export type {
  ChallengeContext,
  ChallengeReason,
  ChallengeResponse,
  PrincipalOf,
  RequireSessionOptions,
} from '../auth/session-auth'
export type { FetchSessionGuard } from './require-session'
export { requireSession } from './require-session'
export type { FetchSessionsOptions } from './with-sessions'
export { respondToSessionError, sessionsOf, withSessions } from './with-sessions'
