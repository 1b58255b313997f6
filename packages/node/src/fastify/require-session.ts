import type { AnySessionDescriptor, SessionValue } from '@tessera/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { PrincipalAccessor } from '../auth/guards'
import type { PrincipalOf, RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'

/**
 * A Fastify `preHandler` (or `onRequest`) hook that ends the request when it fails, with the typed
 * principal of the requests it lets through.
 */
export type SessionGuardHook<TPrincipal = unknown> = ((
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>) &
  PrincipalAccessor<TPrincipal>

/**
 * A Fastify hook that lets a request through only with a valid session of `descriptor` (Ktor's
 * `session<T>` authentication), setting `request.principal` to what `validate` gave (typed through
 * the hook's `principal(request)`); otherwise it answers with the challenge: 401, a redirect, or the
 * app's own. Use it as a route's `preHandler`, or add it to a scope with `addHook('preHandler', …)`.
 * A `none` session is refused here (`INVALID_OPTION`): anyone can write its token.
 *
 * @example
 * const requireUser = requireSession(Login, { validate: async (login) => users.find(login.userId) })
 * app.get('/me', { preHandler: requireUser }, async (request) => requireUser.principal(request))
 */
export function requireSession<
  TDescriptor extends AnySessionDescriptor,
  TPrincipal = SessionValue<TDescriptor>,
>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor, TPrincipal>,
): SessionGuardHook<PrincipalOf<TDescriptor, TPrincipal>> {
  const guard = createSessionGuard<PrincipalOf<TDescriptor, TPrincipal>>(
    descriptor,
    options as RequireSessionOptions<any, any>,
    'register fastifySessions in its scope',
  )
  async function requireSessionHook(request: FastifyRequest, reply: FastifyReply) {
    const outcome = await guard.check(request.sessions)
    if (outcome.passed) {
      guard.remember(request, outcome.principal)
      ;(request as { principal?: unknown }).principal = outcome.principal
      return undefined
    }
    const { status, headers, body } = outcome.challenge
    return reply.code(status).headers(headers).send(body)
  }
  return Object.assign(requireSessionHook, { principal: guard.principal })
}
