import type { RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import { SessionError } from '@tessera/core'
import type { UNSAFE_DataWithResponseInit as DataWithResponseInit } from 'react-router'
import { data } from 'react-router'
import { forwardedHttps } from '../forwarded-proto'

/** Options of React Router's {@link withSessions}. */
export interface RouteSessionsOptions {
  /**
   * Believe the `X-Forwarded-Proto` header of a reverse proxy when deciding whether the request came
   * over https (which adds `Secure` to cookies whose `secure` is `'auto'`). Without it only the
   * request URL's scheme counts.
   * @default false
   */
  readonly trustProxy?: boolean | undefined
}

/** What a loader or action wrapped by {@link withSessions} returns for a function returning `TResult`. */
export type WithSessionHeaders<TResult> = TResult extends Response
  ? TResult
  : TResult extends DataWithResponseInit<infer TData>
    ? DataWithResponseInit<TData>
    : DataWithResponseInit<TResult>

/** The sessions of each request, held as long as the request object lives. */
const opened = new WeakMap<Request, RequestSessions>()

/**
 * The {@link SessionIO} of a loader or action: request headers from `request.headers`; response
 * headers collected here, then written on what the function returned or threw.
 */
class RouteSessionIO implements SessionIO {
  readonly headers = new Headers()
  #done = false

  constructor(
    private readonly request: Request,
    private readonly trustProxy: boolean,
  ) {}

  requestHeader(name: string): string | undefined {
    return this.request.headers.get(name) ?? undefined
  }

  appendHeader(name: string, value: string): void {
    this.headers.append(name, value)
  }

  setHeader(name: string, value: string): void {
    this.headers.set(name, value)
  }

  headersSent(): boolean {
    return this.#done
  }

  isSecure(): boolean {
    if (this.request.url.startsWith('https:')) return true
    return this.trustProxy && forwardedHttps(this.request.headers.get('x-forwarded-proto') ?? undefined)
  }

  /** Marks the function as returned: later writes throw `RESPONSE_COMMITTED`. */
  finish(): void {
    this.#done = true
  }
}

/** True for what `data(value, init)` returns (React Router checks it by shape, as here). */
function isDataWithResponseInit(value: unknown): value is DataWithResponseInit<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'DataWithResponseInit'
  )
}

/** Copies the session headers into `target` (Set-Cookie lines are added, the rest replaced). */
function mergeHeaders(target: Headers, sessionHeaders: Headers): void {
  for (const line of sessionHeaders.getSetCookie()) target.append('set-cookie', line)
  for (const [name, value] of sessionHeaders) {
    if (name !== 'set-cookie') target.set(name, value)
  }
}

/** A Response carrying the session headers: the same one, or a copy when its headers are immutable. */
function withHeadersOnResponse(response: Response, sessionHeaders: Headers): Response {
  try {
    mergeHeaders(response.headers, sessionHeaders)
    return response
  } catch {
    const copy = new Response(response.body, response)
    mergeHeaders(copy.headers, sessionHeaders)
    return copy
  }
}

/** What the function returned (or threw), carrying the session headers. */
function withHeaders(result: unknown, sessionHeaders: Headers): unknown {
  if (result instanceof Response) return withHeadersOnResponse(result, sessionHeaders)
  if (isDataWithResponseInit(result)) {
    const headers = new Headers(result.init?.headers)
    mergeHeaders(headers, sessionHeaders)
    return data(result.data, { ...result.init, headers })
  }
  return data(result, { headers: sessionHeaders })
}

/**
 * Wraps a loader or an action of React Router's framework mode (`({ request, params, context }) =>
 * …`): during the call {@link sessionsOf}(request) holds the request's sessions; once it returns,
 * what it set or cleared is written on what it returned: a Response gets the Set-Cookie lines; a plain
 * value or `data(value, init)` becomes `data(value, { headers })`, which React Router sends with the
 * page or the `.data` request (its types reach `useLoaderData` unchanged). A Response it throws
 * (`throw redirect('/login')`) gets them too. A `SessionError` escapes as it is, for the route's
 * ErrorBoundary.
 *
 * @example
 * // app/routes/cart.tsx
 * export const loader = withSessions(sessions, async ({ request }: Route.LoaderArgs) => ({
 *   cart: await sessionsOf(request).get(Cart),
 * }))
 */
export function withSessions<TArgs extends { readonly request: Request }, TResult>(
  engine: SessionEngine,
  fn: (args: TArgs) => TResult | Promise<TResult>,
  options: RouteSessionsOptions = {},
): (args: TArgs) => Promise<WithSessionHeaders<TResult>> {
  const trustProxy = options.trustProxy === true
  return async function runWithSessions(args) {
    const io = new RouteSessionIO(args.request, trustProxy)
    const sessions = engine.open(io)
    opened.set(args.request, sessions)
    let result: unknown
    try {
      result = await fn(args)
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown
      sessions.commit()
      io.finish()
      throw withHeadersOnResponse(thrown, io.headers)
    }
    sessions.commit()
    io.finish()
    return withHeaders(result, io.headers) as WithSessionHeaders<TResult>
  }
}

/**
 * The sessions of a request whose loader or action came through {@link withSessions}; for any other
 * request it throws `SessionError('INVALID_OPERATION')`. Once the function returned, `set` and
 * `clear` throw `RESPONSE_COMMITTED`.
 *
 * @example
 * const login = await sessionsOf(request).get(Login)
 */
export function sessionsOf(request: Request): RequestSessions {
  const sessions = opened.get(request)
  if (sessions === undefined) {
    throw new SessionError(
      'INVALID_OPERATION',
      'this request has no sessions: wrap its loader or action with withSessions',
    )
  }
  return sessions
}
