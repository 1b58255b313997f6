export type { PrincipalAccessor } from '../auth/guards'
export type {
  ChallengeContext,
  ChallengeReason,
  ChallengeResponse,
  PrincipalOf,
  RequireSessionOptions,
} from '../auth/session-auth'
export type { NodeSessionGuard } from './require-session'
export { requireSession } from './require-session'
export type { NodeSessionsOptions, SessionHandler, SessionRequest } from './with-sessions'
export { withSessions } from './with-sessions'
