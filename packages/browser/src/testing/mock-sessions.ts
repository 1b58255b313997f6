import type { RequestSessions, SessionEngine, SessionEngineOptions, SessionIO } from '@tessera/core'
import { createSessionEngine } from '@tessera/core'
import type { DefaultBodyType, HttpResponseResolver, PathParams } from 'msw'
import { createCookieJar } from './cookie-jar'

/**
 * An msw resolver that also gets `sessions`: the real engine's sessions of the intercepted request.
 *
 * @example
 * const me: SessionResolver = async ({ sessions }) => HttpResponse.json(await sessions.get(Login))
 */
export type SessionResolver<
  TParams extends PathParams<keyof TParams> = PathParams,
  TRequestBody extends DefaultBodyType = DefaultBodyType,
  TResponseBody extends DefaultBodyType = undefined,
> = (
  info: Parameters<HttpResponseResolver<TParams, TRequestBody, TResponseBody>>[0] & {
    readonly sessions: RequestSessions
  },
) => // biome-ignore lint/suspicious/noConfusingVoidType: a resolver may end without a return, as in msw
Response | undefined | void | Promise<Response | undefined | void>

/**
 * Options of {@link createMockSessions}: an engine, or what creates one (core's engine options).
 *
 * @example
 * createMockSessions({ secret: 'a test secret of at least 32 bytes!', sessions: [cookie(Cart)] })
 */
export type MockSessionsOptions = SessionEngineOptions | { readonly engine: SessionEngine }

/**
 * A back end's sessions inside msw handlers. Made by {@link createMockSessions}.
 *
 * @example
 * afterEach(() => mock.reset())
 */
export interface MockSessions {
  /** The session engine the handlers run on. */
  readonly engine: SessionEngine
  /**
   * Wraps a resolver: it receives `sessions` read from the intercepted request, and what it sets or
   * clears is written into its response (Set-Cookie and session headers), as a server would.
   */
  handle<
    TParams extends PathParams<keyof TParams> = PathParams,
    TRequestBody extends DefaultBodyType = DefaultBodyType,
    TResponseBody extends DefaultBodyType = undefined,
  >(
    resolver: SessionResolver<TParams, TRequestBody, TResponseBody>,
  ): HttpResponseResolver<TParams, TRequestBody, TResponseBody>
  /** The Ed25519 public keys to give `createSessionClient({ publicKeys })`. */
  publicKeys(): Promise<Record<string, Record<string, string>>>
  /** The cookies this mock keeps where a page cannot (HttpOnly, other origins, or no document), by name. */
  cookies(): Record<string, string>
  /** Forgets those cookies (call it between tests). */
  reset(): void
}

/** A Cookie header from msw's parsed cookies; null when there are none. */
function cookieLine(cookies: Record<string, string> | undefined): string | null {
  const pairs = Object.entries(cookies ?? {}).map(([name, value]) => `${name}=${value}`)
  return pairs.length === 0 ? null : pairs.join('; ')
}

/** Response headers the engine writes that several sessions may add to. */
const LIST_HEADERS = new Set(['access-control-expose-headers', 'vary'])

/** The resolver's response with the session headers added; msw's own marks (its cookie record) kept. */
function withSessionHeaders(response: Response, written: Headers): Response {
  const headers = new Headers(response.headers)
  for (const [name, value] of written) {
    if (name === 'set-cookie') continue
    if (LIST_HEADERS.has(name)) headers.append(name, value)
    else headers.set(name, value)
  }
  for (const line of written.getSetCookie()) headers.append('set-cookie', line)
  const result = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  })
  for (const key of Reflect.ownKeys(response)) {
    const property = Object.getOwnPropertyDescriptor(response, key)
    if (property && !Object.getOwnPropertyDescriptor(result, key))
      Object.defineProperty(result, key, property)
  }
  return result
}

/**
 * Runs session flows against the real tessera engine inside msw handlers, without a back end: a
 * front-end test logs in, reads the signed cookie, refreshes a header session, signs out, all through
 * the same code a server runs. Cookies go where a browser would put them: into `document.cookie`
 * when the page may hold them, else into the mock's own jar, which later requests carry.
 *
 * @example
 * const mock = createMockSessions({ secret, sessions: [cookie(Cart), header(Login)] })
 * const server = setupServer(
 *   http.post('/api/login', mock.handle(async ({ sessions }) => {
 *     await sessions.set(Login, { userId: 'u1' })
 *     return HttpResponse.json({ ok: true })
 *   })),
 * )
 * const client = createSessionClient({ sessions: [Cart, Login], publicKeys: await mock.publicKeys() })
 */
export function createMockSessions(options: MockSessionsOptions): MockSessions {
  const engine = 'engine' in options ? options.engine : createSessionEngine(options)
  const jar = createCookieJar()
  return {
    engine,
    handle(resolver) {
      return (async (info: Parameters<HttpResponseResolver>[0]) => {
        const { request } = info
        const url = new URL(request.url)
        // In a browser a Request never carries a Cookie header (scripts cannot set it): the page's
        // cookies reach the handler only through msw's `cookies` argument.
        const cookieHeader = jar.header(request.headers.get('cookie') ?? cookieLine(info.cookies))
        const written = new Headers()
        let sent = false
        const io: SessionIO = {
          requestHeader: (name) =>
            name === 'cookie' ? cookieHeader : (request.headers.get(name) ?? undefined),
          appendHeader: (name, value) => written.append(name, value),
          setHeader: (name, value) => written.set(name, value),
          headersSent: () => sent,
          isSecure: () => url.protocol === 'https:',
        }
        const sessions = engine.open(io)
        const response = await resolver({ ...info, sessions } as never)
        sessions.commit()
        sent = true
        if (!response) return response
        jar.store(written.getSetCookie(), url)
        return withSessionHeaders(response, written)
      }) as never
    },
    publicKeys: () => engine.publicKeys(),
    cookies: () => jar.snapshot(),
    reset: () => jar.clear(),
  }
}
