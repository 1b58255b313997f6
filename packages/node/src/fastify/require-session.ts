import type { AnySessionDescriptor } from '@tessera/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'

/** A Fastify `preHandler` (or `onRequest`) hook that ends the request when it fails. */
export type SessionGuardHook = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>

/**
 * A Fastify hook that lets a request through only with a valid session of `descriptor` (Ktor's
 * `session<T>` authentication); otherwise it answers 401, or redirects. Use it as a route's
 * `preHandler`, or add it to a scope with `addHook('preHandler', …)`. A `none` session is refused
 * here (`INVALID_OPTION`): anyone can write its token.
 *
 * @example
 * app.get('/me', { preHandler: requireSession(Login) }, async (request) => request.sessions.get(Login))
 */
export function requireSession<TDescriptor extends AnySessionDescriptor>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor>,
): SessionGuardHook {
  const guard = createSessionGuard(descriptor, options, 'register fastifySessions in its scope')
  const { challenge } = guard
  return async function requireSessionHook(request, reply) {
    if (await guard.passes(request.sessions)) return undefined
    reply.code(challenge.status)
    if (challenge.location === undefined) {
      return reply.type('application/json; charset=utf-8').send(challenge.body)
    }
    return reply.header('location', challenge.location).send()
  }
}
