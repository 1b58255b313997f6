import type { AnySessionDescriptor, SessionValue } from '@tessera/core'
import type { PrincipalAccessor } from '../auth/guards'
import type { Challenge, PrincipalOf, RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'
import { openedSessions } from './with-sessions'

function challengeResponse({ status, headers, body }: Challenge): Response {
  // A copy: the challenge's headers are frozen, and a server may add to the init it is given
  // (@hono/node-server adds Content-Length to it).
  return new Response(body === '' ? null : body, { status, headers: { ...headers } })
}

/** The guard `requireSession` makes for fetch-style handlers, with the typed principal. */
export type FetchSessionGuard<TPrincipal> = ((request: Request) => Promise<Response | null>) &
  PrincipalAccessor<TPrincipal>

/**
 * Makes a guard for fetch-style handlers (Ktor's `session<T>` authentication): it resolves to null
 * when the request has a valid session of `descriptor` (then `guard.principal(request)` is what
 * `validate` gave), and otherwise to the response to return: 401, a redirect, or the app's own
 * challenge. The request must come through `withSessions`. A `none` session is refused here
 * (`INVALID_OPTION`): anyone can write its token.
 *
 * @example
 * const requireUser = requireSession(Login, { validate: async (login) => users.find(login.userId) })
 * export const GET = withSessions(sessions, async (request) => {
 *   const denied = await requireUser(request)
 *   if (denied) return denied
 *   return Response.json(requireUser.principal(request))
 * })
 */
export function requireSession<
  TDescriptor extends AnySessionDescriptor,
  TPrincipal = SessionValue<TDescriptor>,
>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor, TPrincipal>,
): FetchSessionGuard<PrincipalOf<TDescriptor, TPrincipal>> {
  const guard = createSessionGuard<PrincipalOf<TDescriptor, TPrincipal>>(
    descriptor,
    options as RequireSessionOptions<any, any>,
    'wrap the handler with withSessions',
  )
  async function guardSession(request: Request): Promise<Response | null> {
    const outcome = await guard.check(openedSessions(request))
    if (!outcome.passed) return challengeResponse(outcome.challenge)
    guard.remember(request, outcome.principal)
    return null
  }
  return Object.assign(guardSession, { principal: guard.principal })
}
