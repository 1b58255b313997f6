export type { PrincipalAccessor } from '../auth/guards'
export type {
  ChallengeContext,
  ChallengeReason,
  ChallengeResponse,
  PrincipalOf,
  RequireSessionOptions,
} from '../auth/session-auth'
export type { ExpressMiddleware, ExpressRequest } from './express-sessions'
export { expressSessions } from './express-sessions'
export type { SessionGuardMiddleware } from './require-session'
export { requireSession } from './require-session'
export type { ExpressErrorMiddleware } from './session-error-handler'
export { sessionErrorHandler } from './session-error-handler'
