import type { RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { forwardedHttps } from '../forwarded-proto'
import { sessionErrorResponse } from '../session-error-status'

/** Options of the fetch-style {@link withSessions}. */
export interface FetchSessionsOptions {
  /**
   * Believe the `X-Forwarded-Proto` header of a reverse proxy when deciding whether the request came
   * over https (which adds `Secure` to cookies whose `secure` is `'auto'`). Without it only the
   * request URL's scheme counts.
   * @default false
   */
  readonly trustProxy?: boolean | undefined
}

/** The sessions of each request, held as long as the request object lives. */
const opened = new WeakMap<Request, RequestSessions>()

/**
 * The {@link SessionIO} of a fetch handler: request headers from `request.headers`; response headers
 * written once the handler returned, into the Response it returned, or into a copy of it when its
 * headers are immutable (`Response.redirect`, a proxied `fetch` response).
 */
class FetchSessionIO implements SessionIO {
  readonly request: Request
  readonly trustProxy: boolean
  /** The handler's response, once it returned; the one to send after commit. */
  response: Response | undefined = undefined
  #copied = false

  constructor(request: Request, trustProxy: boolean) {
    this.request = request
    this.trustProxy = trustProxy
  }

  requestHeader(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined
  }

  appendHeader(name: string, value: string): void {
    this.#write('append', name, value)
  }

  setHeader(name: string, value: string): void {
    this.#write('set', name, value)
  }

  headersSent(): boolean {
    return this.response !== undefined
  }

  isSecure(): boolean {
    if (this.request.url.startsWith('https:')) return true
    return this.trustProxy && forwardedHttps(this.request.headers.get('x-forwarded-proto') ?? undefined)
  }

  /**
   * Writes a response header. Headers of a `Response.redirect` or a proxied `fetch` response are
   * immutable: the first write then fails whole, and the response is copied once and written again.
   */
  #write(operation: 'append' | 'set', name: string, value: string): void {
    try {
      this.response!.headers[operation](name, value)
    } catch (error) {
      if (this.#copied) throw error
      this.#copied = true
      this.response = new Response(this.response!.body, this.response)
      this.response.headers[operation](name, value)
    }
  }
}

/**
 * The response for a `SessionError`: its status from `sessionErrorStatus` and a JSON body that names
 * no session, id or value; undefined for any other error. `withSessions` uses it for what escapes the
 * handler; frameworks that catch errors themselves (Hono's `onError`) call it there.
 *
 * @example
 * app.onError((error, c) => respondToSessionError(error) ?? c.text('Internal Server Error', 500))
 */
export function respondToSessionError(error: unknown): Response | undefined {
  const answer = sessionErrorResponse(error)
  if (answer === undefined) return undefined
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/**
 * Wraps a fetch-style handler, `(request, ...rest) => Response`, as Hono's `app.fetch`, a Next.js
 * route handler, `Bun.serve` and `Deno.serve` take it: during the call {@link sessionsOf}(request)
 * holds the request's sessions; once the handler returns, what it set or cleared is written into the
 * response (a copy of it when its headers are immutable). A `SessionError` that escapes the handler
 * becomes a response with its status from `sessionErrorStatus` (503 when the storage is down); other
 * errors are rethrown. Hono catches errors before they get here: give its `onError`
 * {@link respondToSessionError}.
 *
 * @example
 * // Next.js: app/cart/route.ts
 * export const GET = withSessions(sessions, async (request) =>
 *   Response.json(await sessionsOf(request).get(Cart)))
 * // Hono
 * export default { fetch: withSessions(sessions, app.fetch) }
 */
export function withSessions<TRequest extends Request, TArgs extends unknown[]>(
  engine: SessionEngine,
  handler: (request: TRequest, ...args: TArgs) => Response | Promise<Response>,
  options: FetchSessionsOptions = {},
): (request: TRequest, ...args: TArgs) => Promise<Response> {
  const trustProxy = options.trustProxy === true
  return async function handleWithSessions(request, ...args) {
    const io = new FetchSessionIO(request, trustProxy)
    const sessions = engine.open(io)
    opened.set(request, sessions)
    try {
      io.response = await handler(request, ...args)
    } catch (error) {
      const answer = respondToSessionError(error)
      if (answer === undefined) throw error
      io.response = answer
    }
    sessions.commit()
    return io.response
  }
}

/**
 * The sessions of a request that came through {@link withSessions}; for any other request it throws
 * `SessionError('INVALID_OPERATION')`. Once the handler returned, `set` and `clear` throw
 * `RESPONSE_COMMITTED`.
 *
 * @example
 * app.get('/cart', async (c) => c.json(await sessionsOf(c.req.raw).get(Cart)))
 */
export function sessionsOf(request: Request): RequestSessions {
  const sessions = openedSessions(request)
  if (sessions === undefined) {
    throw new SessionError(
      'INVALID_OPERATION',
      'this request has no sessions: wrap its handler with withSessions',
    )
  }
  return sessions
}

/** The sessions of a request that came through {@link withSessions}; undefined for any other. */
export function openedSessions(request: Request): RequestSessions | undefined {
  return opened.get(request)
}
