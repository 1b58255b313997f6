import type { ServerResponse } from 'node:http'
import { sendJson } from '../http/with-sessions'
import { sessionErrorResponse } from '../session-error-status'

/** An Express error middleware, typed structurally for Express 4 and 5. */
export type ExpressErrorMiddleware = (
  error: unknown,
  req: any,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Express error middleware that answers a `SessionError` with its status from `sessionErrorStatus`
 * (503 when the storage is down, 409 on a conflict) and a JSON body that names no session, id or
 * value; every other error goes on to the next error handler. Install it after the routes.
 *
 * @example
 * app.use(expressSessions(sessions))
 * app.use(routes)
 * app.use(sessionErrorHandler())
 */
export function sessionErrorHandler(): ExpressErrorMiddleware {
  return function tesseraSessionErrors(error, _req, res, next) {
    const answer = sessionErrorResponse(error)
    if (answer === undefined || res.headersSent) return next(error)
    sendJson(res, answer.status, answer.body)
  }
}
