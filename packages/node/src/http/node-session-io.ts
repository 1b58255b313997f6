import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import { forwardedHttps } from '../forwarded-proto'

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
