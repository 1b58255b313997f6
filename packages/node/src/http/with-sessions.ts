import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import { isPromiseLike } from '@tessera/core/internal'
import type { Challenge } from '../auth/session-auth'
import { forwardedHttps } from '../forwarded-proto'
import { sessionErrorResponse } from '../session-error-status'

/*
 * Sessions on node:http: the request's sessions opened on a small SessionIO over `req` and `res`, and
 * committed just before the response headers go out (Express runs on the same, see ../express).
 */

/** Where a response keeps the innermost sessions layer installed on it. */
const LAYER = Symbol('tessera.sessions')

type WriteHead = ServerResponse['writeHead']
type LayeredResponse = ServerResponse & { [LAYER]?: NodeSessionIO | undefined }

/**
 * The {@link SessionIO} of node:http (and of Express, which runs on it): request headers straight
 * from `req.headers`, response headers through `res.appendHeader` and `res.setHeader`. One small
 * object per request; no WHATWG Request is built.
 */
export class NodeSessionIO implements SessionIO {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly engine: SessionEngine
  readonly trustProxy: boolean
  /** The sessions opened on this IO; set by {@link attachSessions}. */
  sessions!: RequestSessions
  /** A layer installed earlier on the same response (another engine, an outer route scope). */
  outer: NodeSessionIO | undefined = undefined
  /** `writeHead` as it was before the first layer wrapped it. */
  writeHead: WriteHead | undefined = undefined

  constructor(req: IncomingMessage, res: ServerResponse, engine: SessionEngine, trustProxy: boolean) {
    this.req = req
    this.res = res
    this.engine = engine
    this.trustProxy = trustProxy
  }

  requestHeader(name: string): string | undefined {
    const value = this.req.headers[name]
    return typeof value === 'string' ? value : undefined
  }

  appendHeader(name: string, value: string): void {
    this.res.appendHeader(name, value)
  }

  setHeader(name: string, value: string): void {
    this.res.setHeader(name, value)
  }

  headersSent(): boolean {
    return this.res.headersSent
  }

  isSecure(): boolean {
    if ((this.req.socket as TLSSocket | undefined)?.encrypted === true) return true
    return this.trustProxy && forwardedHttps(this.req.headers['x-forwarded-proto'])
  }
}

/**
 * Commits every sessions layer of the response, innermost first, then lets the headers go out.
 * Installed as the response's own `writeHead`: `res.write`, `res.end` and `res.flushHeaders` reach it
 * through node's implicit header path, so no response leaves without its sessions.
 */
function writeHeadCommittingSessions(this: LayeredResponse, ...args: Parameters<WriteHead>): ServerResponse {
  let layer = this[LAYER]!
  layer.sessions.commit()
  while (layer.outer !== undefined) {
    layer = layer.outer
    layer.sessions.commit()
  }
  return layer.writeHead!.apply(this, args)
}

/**
 * Opens the request's sessions on `io` and makes the response commit them just before its headers
 * are written. When a layer of the same engine is already installed, its sessions are returned.
 */
export function attachSessions(io: NodeSessionIO): RequestSessions {
  const res = io.res as LayeredResponse
  const current = res[LAYER]
  if (current?.engine === io.engine) return current.sessions
  io.sessions = io.engine.open(io)
  if (current === undefined) {
    io.writeHead = res.writeHead
    res.writeHead = writeHeadCommittingSessions as WriteHead
  } else {
    io.outer = current
  }
  res[LAYER] = io
  return io.sessions
}

/** Ends the response with a status and a JSON body (used for challenges and session errors). */
export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(body))
  res.end(body)
}

/** Sends a `requireSession` challenge on a node:http response: its status, headers and body. */
export function respondChallenge(res: ServerResponse, challenge: Challenge): void {
  res.statusCode = challenge.status
  for (const [name, value] of Object.entries(challenge.headers)) res.setHeader(name, value)
  res.setHeader('content-length', Buffer.byteLength(challenge.body))
  res.end(challenge.body)
}

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
    if (isPromiseLike(result)) return settle(result, res)
  }
}
