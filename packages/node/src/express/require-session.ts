import type { AnySessionDescriptor, SessionValue } from '@tessera/core'
import type { PrincipalAccessor } from '../auth/guards'
import type { PrincipalOf, RequireSessionOptions } from '../auth/session-auth'
import { createSessionGuard } from '../auth/session-auth'
import { respondChallenge } from '../http/with-sessions'
import type { ExpressMiddleware, ExpressRequest } from './express-sessions'

/** The middleware `requireSession` makes, with the typed principal of the requests it lets through. */
export type SessionGuardMiddleware<TPrincipal> = ExpressMiddleware & PrincipalAccessor<TPrincipal>

/**
 * Express middleware that lets a request through only with a valid session of `descriptor` (Ktor's
 * `session<T>` authentication), setting `req.principal` to what `validate` gave (typed through the
 * guard's `principal(req)`); otherwise it answers with the challenge: 401, a redirect, or the app's
 * own. Errors (a storage that is down) go to `next`, where `sessionErrorHandler` answers them. Works
 * on Express 4 and 5. A `none` session is refused here (`INVALID_OPTION`): anyone can write its token.
 *
 * @example
 * const requireUser = requireSession(Login, { validate: async (login) => users.find(login.userId) })
 * app.get('/me', requireUser, (req, res) => res.json(requireUser.principal(req)))
 * app.use('/account', requireSession(Login, { redirect: '/login' }), accountRouter)
 */
export function requireSession<
  TDescriptor extends AnySessionDescriptor,
  TPrincipal = SessionValue<TDescriptor>,
>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor, TPrincipal>,
): SessionGuardMiddleware<PrincipalOf<TDescriptor, TPrincipal>> {
  const guard = createSessionGuard<PrincipalOf<TDescriptor, TPrincipal>>(
    descriptor,
    options as RequireSessionOptions<any, any>,
    'install expressSessions before requireSession',
  )
  function requireSessionMiddleware(
    req: ExpressRequest,
    res: Parameters<ExpressMiddleware>[1],
    next: (error?: unknown) => void,
  ) {
    guard.check(req.sessions).then((outcome) => {
      if (!outcome.passed) return respondChallenge(res, outcome.challenge)
      guard.remember(req, outcome.principal)
      ;(req as { principal?: unknown }).principal = outcome.principal
      next()
    }, next)
  }
  return Object.assign(requireSessionMiddleware, { principal: guard.principal })
}
