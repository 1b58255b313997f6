import type { AnySessionDescriptor } from '@tessera/core'
import type { RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'
import { respondChallenge } from '../http/with-sessions'
import type { ExpressMiddleware, ExpressRequest } from './express-sessions'

/**
 * Express middleware that lets a request through only with a valid session of `descriptor` (Ktor's
 * `session<T>` authentication); otherwise it answers 401, or redirects. Errors (a storage that is
 * down) go to `next`, where `sessionErrorHandler` answers them. Works on Express 4 and 5. A `none`
 * session is refused here (`INVALID_OPTION`): anyone can write its token.
 *
 * @example
 * app.get('/me', requireSession(Login), async (req, res) => res.json(await req.sessions.get(Login)))
 * app.use('/account', requireSession(Login, { redirect: '/login' }), accountRouter)
 */
export function requireSession<TDescriptor extends AnySessionDescriptor>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor>,
): ExpressMiddleware {
  const guard = createSessionGuard(descriptor, options, 'install expressSessions before requireSession')
  return function requireSessionMiddleware(req: ExpressRequest, res, next) {
    guard.passes(req.sessions).then(
      (passes) => (passes ? next() : respondChallenge(res, guard.challenge)),
      (error: unknown) => next(error),
    )
  }
}
