import type { ServerResponse } from 'node:http'
import type { AnySessionDescriptor, SessionValue } from '@tessera/core'
import type { PrincipalAccessor } from '../auth/guards'
import type { PrincipalOf, RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'
import type { SessionRequest } from './with-sessions'
import { respondChallenge } from './with-sessions'

/** The guard `requireSession` makes for node:http handlers, with the typed principal. */
export type NodeSessionGuard<TPrincipal> = ((req: SessionRequest, res: ServerResponse) => Promise<boolean>) &
  PrincipalAccessor<TPrincipal>

/**
 * Makes a guard for node:http handlers (Ktor's `session<T>` authentication): it resolves to true
 * when the request has a valid session of `descriptor` (then `guard.principal(req)` is what
 * `validate` gave), and otherwise answers the request itself (401, a redirect, or the app's own
 * challenge) and resolves to false. A `none` session is refused here (`INVALID_OPTION`): anyone can
 * write its token.
 *
 * @example
 * const requireUser = requireSession(Login, { validate: (login) => (login.userId ? { id: login.userId } : null) })
 * withSessions(sessions, async (req, res) => {
 *   if (!(await requireUser(req, res))) return
 *   res.end(JSON.stringify(requireUser.principal(req)))
 * })
 */
export function requireSession<
  TDescriptor extends AnySessionDescriptor,
  TPrincipal = SessionValue<TDescriptor>,
>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor, TPrincipal>,
): NodeSessionGuard<PrincipalOf<TDescriptor, TPrincipal>> {
  const guard = createSessionGuard<PrincipalOf<TDescriptor, TPrincipal>>(
    descriptor,
    options as RequireSessionOptions<any, any>,
    'wrap the handler with withSessions',
  )
  async function guardSession(req: SessionRequest, res: ServerResponse): Promise<boolean> {
    const outcome = await guard.check(req.sessions)
    if (!outcome.passed) {
      respondChallenge(res, outcome.challenge)
      return false
    }
    guard.remember(req, outcome.principal)
    return true
  }
  return Object.assign(guardSession, { principal: guard.principal })
}
