import type { ServerResponse } from 'node:http'
import type { AnySessionDescriptor } from '@tessera/core'
import type { RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'
import type { SessionRequest } from './with-sessions'
import { respondChallenge } from './with-sessions'

/**
 * Makes a guard for node:http handlers (Ktor's `session<T>` authentication): it resolves to true
 * when the request has a valid session of `descriptor`, and otherwise answers the request itself
 * (401, or a redirect) and resolves to false. A `none` session is refused here (`INVALID_OPTION`):
 * anyone can write its token.
 *
 * @example
 * const requireLogin = requireSession(Login, { validate: (login) => login.userId !== '' })
 * withSessions(sessions, async (req, res) => {
 *   if (!(await requireLogin(req, res))) return
 *   res.end(JSON.stringify(await req.sessions.get(Login)))
 * })
 */
export function requireSession<TDescriptor extends AnySessionDescriptor>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor>,
): (req: SessionRequest, res: ServerResponse) => Promise<boolean> {
  const guard = createSessionGuard(descriptor, options, 'wrap the handler with withSessions')
  return async function guardSession(req, res) {
    if (await guard.passes(req.sessions)) return true
    respondChallenge(res, guard.challenge)
    return false
  }
}
