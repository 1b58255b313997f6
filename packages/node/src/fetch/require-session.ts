import type { AnySessionDescriptor } from '@tessera/core'
import type { Challenge, RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'
import { openedSessions } from './with-sessions'

function challengeResponse(challenge: Challenge): Response {
  if (challenge.location !== undefined) {
    return new Response(null, { status: challenge.status, headers: { location: challenge.location } })
  }
  return new Response(challenge.body, {
    status: challenge.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/**
 * Makes a guard for fetch-style handlers (Ktor's `session<T>` authentication): it resolves to null
 * when the request has a valid session of `descriptor`, and otherwise to the response to return
 * (401, or a redirect). The request must come through `withSessions`. A `none` session is refused
 * here (`INVALID_OPTION`): anyone can write its token.
 *
 * @example
 * const requireLogin = requireSession(Login, { redirect: '/login' })
 * export const GET = withSessions(sessions, async (request) => {
 *   const denied = await requireLogin(request)
 *   if (denied) return denied
 *   return Response.json(await sessionsOf(request).get(Login))
 * })
 */
export function requireSession<TDescriptor extends AnySessionDescriptor>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor>,
): (request: Request) => Promise<Response | null> {
  const guard = createSessionGuard(descriptor, options, 'wrap the handler with withSessions')
  return async function guardSession(request) {
    if (await guard.passes(openedSessions(request))) return null
    return challengeResponse(guard.challenge)
  }
}
