export type { PrincipalAccessor } from '../auth/guards'
export type {
  ChallengeContext,
  ChallengeReason,
  ChallengeResponse,
  PrincipalOf,
  RequireSessionOptions,
} from '../auth/session-auth'
export { fastifySessions } from './fastify-sessions'
export type { SessionGuardHook } from './require-session'
export { requireSession } from './require-session'
