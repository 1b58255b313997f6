import type { RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify'
import { sessionErrorResponse } from '../session-error-status'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's sessions, in the scopes where `fastifySessions` is registered (null or undefined elsewhere). */
    sessions: RequestSessions
  }
}

/** Where a request keeps the innermost sessions layer (decorated, so requests keep one shape). */
const LAYER = Symbol('tessera.sessions')
type LayeredRequest = FastifyRequest & { [LAYER]: FastifySessionIO | null }

/**
 * The {@link SessionIO} of Fastify: request headers from the raw request, response headers through
 * `reply.header` (which keeps several `Set-Cookie` lines), https as Fastify sees it (`request.protocol`,
 * which follows the server's `trustProxy` option).
 */
class FastifySessionIO implements SessionIO {
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  readonly engine: SessionEngine
  readonly sessions: RequestSessions
  readonly outer: FastifySessionIO | null

  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    engine: SessionEngine,
    outer: FastifySessionIO | null,
  ) {
    this.request = request
    this.reply = reply
    this.engine = engine
    this.outer = outer
    this.sessions = engine.open(this)
  }

  requestHeader(name: string): string | undefined {
    const value = this.request.raw.headers[name]
    return typeof value === 'string' ? value : undefined
  }

  appendHeader(name: string, value: string): void {
    if (name === 'set-cookie') {
      this.reply.header(name, value)
      return
    }
    const current = this.reply.getHeader(name)
    this.reply.header(name, current === undefined ? value : `${String(current)}, ${value}`)
  }

  setHeader(name: string, value: string): void {
    this.reply.header(name, value)
  }

  headersSent(): boolean {
    return this.reply.raw.headersSent
  }

  isSecure(): boolean {
    return this.request.protocol === 'https'
  }
}

/** Commits every sessions layer of the request, innermost first; committing twice is harmless. */
function commitLayers(request: LayeredRequest): void {
  for (let layer = request[LAYER]; layer; layer = layer.outer) layer.sessions.commit()
}

function onSend(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
): void {
  try {
    commitLayers(request as LayeredRequest)
  } catch (error) {
    done(error as Error)
    return
  }
  done(null, payload)
}

/** Gives a session error its status from the table before Fastify's error handler (or the app's) answers. */
function onError(_request: FastifyRequest, reply: FastifyReply, error: FastifyError, done: () => void): void {
  const answer = sessionErrorResponse(error)
  if (answer !== undefined && !reply.raw.headersSent) reply.code(answer.status)
  done()
}

/**
 * A Fastify 5 plugin: `request.sessions` holds the request's sessions, and what a handler set or
 * cleared is written in `onSend`, just before the headers go out. It respects encapsulation like a
 * hook does: registered on the root it serves every route; registered inside a `register` scope it
 * serves only that scope's routes. A `SessionError` a handler throws gets its status from
 * `sessionErrorStatus` (503 when the storage is down) before Fastify's error handler, or the app's
 * own, formats the answer.
 *
 * @example
 * app.register(fastifySessions(sessions))
 * app.get('/cart', async (request) => request.sessions.get(Cart))
 *
 * app.register(async (admin) => {
 *   admin.register(fastifySessions(adminSessions)) // only the routes of this scope
 * })
 */
export function fastifySessions(engine: SessionEngine): FastifyPluginCallback {
  function onRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const layered = request as LayeredRequest
    const current = layered[LAYER]
    if (current?.engine !== engine) {
      const io = new FastifySessionIO(request, reply, engine, current)
      layered[LAYER] = io
      request.sessions = io.sessions
    }
    done()
  }

  function tesseraSessions(
    instance: FastifyInstance,
    _options: unknown,
    done: (error?: Error) => void,
  ): void {
    if (!instance.hasRequestDecorator('sessions')) instance.decorateRequest('sessions', null as never)
    if (!instance.hasRequestDecorator(LAYER)) instance.decorateRequest(LAYER, null as never)
    instance.addHook('onRequest', onRequest)
    instance.addHook('onSend', onSend)
    instance.addHook('onError', onError)
    done()
  }

  // What fastify-plugin would set: the hooks land in the scope that registers the plugin.
  const plugin = tesseraSessions as FastifyPluginCallback & Record<symbol, unknown>
  plugin[Symbol.for('skip-override')] = true
  plugin[Symbol.for('fastify.display-name')] = '@tessera/node/fastify'
  plugin[Symbol.for('plugin-meta')] = { name: '@tessera/node/fastify', fastify: '5.x' }
  return plugin
}
