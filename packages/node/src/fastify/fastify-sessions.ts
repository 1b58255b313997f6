import type { RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify'
import type { SessionErrorResponse } from '../session-error-status'
import { sessionErrorResponse } from '../session-error-status'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's sessions, in the scopes where `fastifySessions` is registered (null or undefined elsewhere). */
    sessions: RequestSessions
    /** What a `requireSession` hook's `validate` gave; its `principal(request)` gives it typed. */
    principal?: unknown
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

/** The session error a request is answering, from `onError` to `onSend`. */
const answering = new WeakMap<FastifyRequest, { message: string; answer: SessionErrorResponse }>()

/** The fields of Fastify's default answer to an error (`reply.send(error)`, or no error handler). */
const DEFAULT_ERROR_FIELDS = new Set(['statusCode', 'code', 'error', 'message'])

/**
 * True when `payload` is Fastify's default answer to the session error: its JSON of `statusCode`,
 * `code`, `error` and `message`, which names the session. An app's own answer is anything else.
 */
function isDefaultAnswer(payload: unknown, message: string): boolean {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return false
  let body: unknown
  try {
    body = JSON.parse(payload)
  } catch {
    return false
  }
  if (typeof body !== 'object' || body === null) return false
  return (
    (body as { message?: unknown }).message === message &&
    Object.keys(body).every((key) => DEFAULT_ERROR_FIELDS.has(key))
  )
}

function onSend(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: Error | null, payload?: unknown) => void,
): void {
  try {
    commitLayers(request as LayeredRequest)
  } catch (error) {
    done(error as Error)
    return
  }
  const failure = answering.get(request)
  if (failure !== undefined && isDefaultAnswer(payload, failure.message)) {
    // Fastify's default error handler answered: say what the other adapters say, naming no session.
    reply.type('application/json; charset=utf-8')
    done(null, failure.answer.body)
    return
  }
  done(null, payload)
}

/**
 * Gives a session error its status from the table before the error handler runs, and remembers it,
 * so that `onSend` can replace Fastify's default answer (which quotes the error's message).
 */
function onError(request: FastifyRequest, reply: FastifyReply, error: FastifyError, done: () => void): void {
  const answer = sessionErrorResponse(error)
  if (answer !== undefined && !reply.raw.headersSent) {
    reply.code(answer.status)
    answering.set(request, { message: error.message, answer })
  }
  done()
}

/**
 * A Fastify 5 plugin: `request.sessions` holds the request's sessions, and what a handler set or
 * cleared is written in `onSend`, just before the headers go out. It respects encapsulation like a
 * hook does: registered on the root it serves every route; registered inside a `register` scope it
 * serves only that scope's routes. A `SessionError` a handler throws gets its status from
 * `sessionErrorStatus` (503 when the storage is down) before the error handler runs. An app's own
 * `setErrorHandler` gets the error and answers as it likes; where Fastify's default handler answers,
 * the body is the other adapters' `{"error":"<code>"}` (409, 503) or `{"error":"SESSION_ERROR"}`
 * (500), not Fastify's JSON with the message, which names the session.
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
