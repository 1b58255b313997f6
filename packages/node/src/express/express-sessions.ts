import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestSessions, SessionEngine } from '@tessera/core'
import { attachSessions, NodeSessionIO } from '../http/with-sessions'

declare global {
  namespace Express {
    interface Request {
      /** The request's sessions, where `expressSessions` is installed (app, router or route). */
      sessions: RequestSessions
      /** What a `requireSession` guard's `validate` gave; its `principal(req)` gives it typed. */
      principal?: unknown
    }
  }
}

/** The parts of an Express request the adapter uses; Express 4 and 5 both have them. */
export type ExpressRequest = IncomingMessage & { sessions?: RequestSessions; readonly secure?: boolean }

/** An Express middleware, typed structurally so that Express 4 and 5 (and their types) both accept it. */
export type ExpressMiddleware = (req: any, res: ServerResponse, next: (error?: unknown) => void) => void

/** Express decides https itself (`req.secure`), following the app's `trust proxy` setting. */
class ExpressSessionIO extends NodeSessionIO {
  override isSecure(): boolean {
    return (this.req as ExpressRequest).secure === true
  }
}

/**
 * Express middleware for Express 4 and 5: `req.sessions` holds the request's sessions, typed on
 * `Express.Request`, and what the handlers set or cleared is written just before the response
 * headers go out. Install it on the app, a router or a single route: only the requests that pass
 * through it get sessions. Whether a request came over https (for `secure: 'auto'` cookies) is
 * Express's `req.secure`, so the app's `trust proxy` setting applies.
 *
 * Session errors that handlers pass on (or that Express 5 catches from async handlers) are answered
 * by {@link sessionErrorHandler}.
 *
 * @example
 * app.use(expressSessions(sessions))
 * app.get('/cart', async (req, res) => res.json(await req.sessions.get(Cart)))
 * app.use(sessionErrorHandler())
 */
export function expressSessions(engine: SessionEngine): ExpressMiddleware {
  return function tesseraSessions(req: ExpressRequest, res, next) {
    req.sessions = attachSessions(new ExpressSessionIO(req, res, engine, false))
    next()
  }
}
