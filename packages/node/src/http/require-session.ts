import type { ServerResponse } from 'node:http'
import type { AnySessionDescriptor } from '@tessera/core'
import type { RequireSessionOptions } from '../auth/session-auth'
import { createChallenge, hasValidSession } from '../auth/session-auth'
import { respondChallenge } from './respond-challenge'
import type { SessionRequest } from './with-sessions'

/**
 * Makes a guard for node:http handlers (Ktor's `session<T>` authentication): it resolves to true
 * when the request has a valid session of `descriptor`, and otherwise answers the request itself
 * (401, or a redirect) and resolves to false.
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
  const challenge = createChallenge(options)
  const validate = options?.validate
  return async function guardSession(req, res) {
    if (await hasValidSession(req.sessions, descriptor, validate)) return true
    respondChallenge(res, challenge)
    return false
  }
}
