import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestSessions, SessionEngine } from '@tessera/core'
import { sessionErrorResponse } from '../session-error-status'
import { attachSessions, NodeSessionIO, sendJson } from './node-session-io'

/** A node:http request inside {@link withSessions}: `req.sessions` is the request's sessions. */
export type SessionRequest = IncomingMessage & { sessions: RequestSessions }

/** A node:http handler that reads and writes sessions through `req.sessions`. */
export type SessionHandler = (req: SessionRequest, res: ServerResponse) => unknown

/** Options of {@link withSessions}. */
export interface NodeSessionsOptions {
  /**
   * Believe the `X-Forwarded-Proto` header of a reverse proxy when deciding whether the request came
   * over https (which adds `Secure` to cookies whose `secure` is `'auto'`). Turn it on only behind a
   * proxy that sets the header; a direct client could otherwise forge it.
   * @default false
   */
  readonly trustProxy?: boolean | undefined
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function'
}

/** Answers a session error with its status from the table; any other error is rethrown untouched. */
function answerError(error: unknown, res: ServerResponse): void {
  const answer = sessionErrorResponse(error)
  if (answer === undefined || res.headersSent) throw error
  sendJson(res, answer.status, answer.body)
}

async function settle(result: PromiseLike<unknown>, res: ServerResponse): Promise<void> {
  try {
    await result
  } catch (error) {
    answerError(error, res)
  }
}

/**
 * Wraps a node:http request handler (Ktor's `install(Sessions)` for a bare server): `req.sessions`
 * holds the request's sessions, and what the handler set or cleared is written just before the
 * response headers go out (however they go: `writeHead`, `write` or `end`). A `SessionError` that
 * escapes the handler is answered with its status from `sessionErrorStatus` (503 when the storage is
 * down); other errors are rethrown as they are.
 *
 * @example
 * const server = http.createServer(withSessions(sessions, async (req, res) => {
 *   const cart = await req.sessions.get(Cart)
 *   res.end(JSON.stringify(cart))
 * }))
 */
export function withSessions(
  engine: SessionEngine,
  handler: SessionHandler,
  options: NodeSessionsOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void | Promise<void> {
  const trustProxy = options.trustProxy === true
  return function handleWithSessions(req, res) {
    const request = req as SessionRequest
    request.sessions = attachSessions(new NodeSessionIO(req, res, engine, trustProxy))
    let result: unknown
    try {
      result = handler(request, res)
    } catch (error) {
      answerError(error, res)
      return
    }
    if (isThenable(result)) return settle(result, res)
  }
}
