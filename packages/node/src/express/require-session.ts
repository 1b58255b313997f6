import type { ServerResponse } from 'node:http'
import type { AnySessionDescriptor } from '@tessera/core'
import { SessionError } from '@tessera/core'
import type { Challenge, RequireSessionOptions } from '../auth/session-auth'
import { createChallenge, hasValidSession } from '../auth/session-auth'
import { respondChallenge } from '../http/respond-challenge'
import type { ExpressMiddleware, ExpressRequest } from './express-sessions'

async function guard(
  req: ExpressRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
  descriptor: AnySessionDescriptor,
  validate: RequireSessionOptions['validate'],
  challenge: Challenge,
): Promise<void> {
  let valid: boolean
  try {
    if (req.sessions === undefined) {
      throw new SessionError('INVALID_OPERATION', 'requireSession needs expressSessions installed before it')
    }
    valid = await hasValidSession(req.sessions, descriptor, validate)
  } catch (error) {
    return next(error)
  }
  if (valid) next()
  else respondChallenge(res, challenge)
}

/**
 * Express middleware that lets a request through only with a valid session of `descriptor` (Ktor's
 * `session<T>` authentication); otherwise it answers 401, or redirects. Errors (a storage that is
 * down) go to `next`, where `sessionErrorHandler` answers them. Works on Express 4 and 5.
 *
 * @example
 * app.get('/me', requireSession(Login), async (req, res) => res.json(await req.sessions.get(Login)))
 * app.use('/account', requireSession(Login, { redirect: '/login' }), accountRouter)
 */
export function requireSession<TDescriptor extends AnySessionDescriptor>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor>,
): ExpressMiddleware {
  const challenge = createChallenge(options)
  const validate = options?.validate as RequireSessionOptions['validate']
  return function requireSessionMiddleware(req: ExpressRequest, res, next) {
    void guard(req, res, next, descriptor, validate, challenge)
  }
}
