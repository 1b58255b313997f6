import { SessionError } from '@tessera/core'
import { HEADER_CLEARED } from '@tessera/core/internal'
import type { ClientState } from './client-state'
import type { FetchLike } from './client-types'
import { MAX_REDIRECTS, nextHop, REQUEST_BODY_HEADERS, replayableBody } from './redirect-hop'
import { resolve } from './session-reader'

/*
 * Header sessions on fetch, loaded on the first `fetch` or `wrapFetch` call: the origins sessions go
 * to, the tokens attached, redirects kept inside those origins while a token travels, and new or
 * cleared tokens captured from responses of those origins. docs/security.md ("Header sessions on
 * fetch") says what each environment does.
 */

const resolved = new WeakMap<ClientState, ReadonlySet<string>>()

/**
 * The origins of the client's `origins` option (default: the page's own), resolved on first use.
 * Anything but an absolute URL is an `INVALID_OPTION`.
 */
function originsOf(state: ClientState): ReadonlySet<string> {
  let origins = resolved.get(state)
  if (!origins) {
    const page = globalThis.location?.origin
    origins = new Set(
      state.origins?.map((origin) => {
        try {
          return new URL(origin).origin
        } catch {
          throw new SessionError(
            'INVALID_OPTION',
            `origins: "${origin.slice(0, 100)}" is not an absolute URL`,
          )
        }
      }) ?? (page && page !== 'null' ? [page] : []),
    )
    resolved.set(state, origins)
  }
  return origins
}

/** What a request is sent to, and what to hand fetch so that it goes exactly there. */
interface Target {
  readonly url: URL
  /** The Request given, or the string `String(input)` made of anything else (a `toString` runs once). */
  readonly send: Request | string
}

/**
 * What a request goes to, resolved as fetch resolves it: a Request of this realm by its `url`,
 * anything else (a string, a URL of any realm, an object with `toString`) by `String(input)`, against
 * the document's base URL (a `<base>` element counts) or the worker's location. Null, so no session
 * header, when that fails, and for a Request of another realm, which fetch reads by its `url` and
 * `String` would not.
 */
function targetOf(input: unknown): Target | null {
  try {
    if (typeof Request === 'function' && input instanceof Request) {
      return { url: new URL(input.url), send: input }
    }
    if (Object.prototype.toString.call(input) === '[object Request]') return null
    const href = String(input)
    return { url: new URL(href, globalThis.document?.baseURI ?? globalThis.location?.href), send: href }
  } catch {
    return null
  }
}

/**
 * True in a browser page or worker: there fetch hides where a manual redirect leads (an opaque
 * redirect) and honours `mode: 'same-origin'`. Elsewhere (Node, Deno, Bun, edge workers) the client
 * sees `Location` and follows redirects itself.
 */
const inBrowser = () =>
  typeof globalThis.document === 'object' ||
  typeof (globalThis as { importScripts?: unknown }).importScripts === 'function'

/** `given` with each header session's token added where the caller set none; null when it carries no session header. */
function withTokens(state: ClientState, given: Headers): Headers | null {
  const headers = new Headers(given)
  let carries = false
  for (const entry of state.entries) {
    if (!entry.store) continue
    if (!headers.has(entry.name)) {
      const token = entry.store.get(entry.name)
      if (token === undefined) continue
      headers.set(entry.name, token)
    }
    carries = true
  }
  return carries ? headers : null
}

/** `credentials: 'include'` for a configured cross origin when cookie sessions are registered and the caller chose nothing. */
function credentialsFor(
  state: ClientState,
  url: URL,
  init: RequestInit | undefined,
  request: Request | undefined,
): RequestInit {
  const chosen = init?.credentials !== undefined || (request?.credentials ?? 'same-origin') !== 'same-origin'
  const cookies = state.entries.some((entry) => !entry.store)
  return chosen || !cookies || url.origin === globalThis.location?.origin ? {} : { credentials: 'include' }
}

/**
 * The URL a response came from: its own `url`; else, when it says it was not redirected, the URL it
 * was asked of (a Response built by a test double or a wrapped fetch has no `url`); null when that
 * cannot be known.
 */
function sourceOf(response: Response, asked: URL): URL | null {
  if (!response.url) return response.redirected ? null : asked
  try {
    return new URL(response.url)
  } catch {
    return null
  }
}

/** What a response header may carry for a header session: a v1 token or the cleared marker. */
const TOKEN = /^v1\.[A-Za-z0-9._-]+$/

/** Takes new and cleared tokens from a response of an allowed origin; the reads that tell subscribers go to `changes`. */
function captureTokens(state: ClientState, response: Response, changes: Promise<unknown>[]) {
  for (const entry of state.entries) {
    if (!entry.store) continue
    const value = response.headers.get(entry.name)
    if (value === null || !(value === HEADER_CLEARED || TOKEN.test(value))) continue
    if (value === HEADER_CLEARED) entry.store.delete(entry.name)
    else if (value !== entry.store.get(entry.name)) entry.store.set(entry.name, value)
    else continue
    changes.push(resolve(state, entry))
  }
}

/** Lets go of a response nobody will read (a redirect followed or refused), so its connection is freed. */
const discard = (response: Response) => void response.body?.cancel().catch(() => undefined)

/** What one call shares with the hops it follows. */
interface Sending {
  readonly state: ClientState
  readonly fetchLike: FetchLike
  readonly origins: ReadonlySet<string>
  /** Captures from a response of a configured origin; refuses one from elsewhere that a session header went to. */
  receive(response: Response, asked: URL, carried: boolean): void
  /** The `REDIRECT_BLOCKED` error, saying why and quoting neither token nor location. */
  blocked(why: string): Error
}

/**
 * Sends a request that carries a session header with `redirect: 'manual'` and follows its redirects
 * the way fetch would, one hop at a time, each vetted before anything is sent where it leads: a hop
 * to a configured origin goes with the session headers attached afresh (a token the redirect itself
 * set included); a hop out of them, or an opaque redirect, is `REDIRECT_BLOCKED`.
 */
async function sendHopByHop(
  { state, fetchLike, origins, receive, blocked }: Sending,
  target: Target,
  sent: RequestInit,
  given: Headers,
): Promise<Response> {
  const request = typeof target.send === 'string' ? undefined : target.send
  const body = replayableBody(request, sent)
  const kept: RequestInit = request
    ? {
        signal: request.signal,
        credentials: request.credentials,
        cache: request.cache,
        mode: request.mode,
        referrerPolicy: request.referrerPolicy,
        keepalive: request.keepalive,
      }
    : {}
  let url = target.url
  let method = sent.method ?? request?.method ?? 'GET'
  let response = await fetchLike(target.send, {
    ...sent,
    headers: withTokens(state, given) ?? given,
    redirect: 'manual',
  })
  try {
    for (let redirects = 0; ; redirects++) {
      receive(response, url, true)
      if (response.type === 'opaqueredirect') {
        discard(response)
        throw blocked('the browser hides where a redirect leads (an opaque redirect)')
      }
      const hop = nextHop(response, url, method)
      if (hop === null) {
        if (redirects > 0) Object.defineProperty(response, 'redirected', { value: true })
        return response
      }
      discard(response)
      if (!origins.has(hop.url.origin)) throw blocked('a redirect leads out of the configured origins')
      if (redirects === MAX_REDIRECTS) throw new TypeError('fetch failed: more than 20 redirects')
      if (body.once && response.status !== 303) {
        throw new TypeError('fetch failed: a redirect would send a streamed body again')
      }
      if (!hop.keepsBody) for (const name of REQUEST_BODY_HEADERS) given.delete(name)
      if (hop.url.origin !== url.origin) given.delete('authorization')
      response = await fetchLike(hop.url.href, {
        ...kept,
        ...sent,
        method: hop.method,
        headers: withTokens(state, given) ?? given,
        body: hop.keepsBody ? await body.again() : null,
        redirect: 'manual',
      })
      url = hop.url
      method = hop.method
    }
  } finally {
    body.release()
  }
}

/**
 * Sends a request through `fetchLike`. To a configured origin it attaches each header session's
 * token (a header the caller set wins), sends cookies across origins (`credentials: 'include'` unless
 * the caller chose), keeps the request inside the configured origins while it carries a session
 * header (see below), and captures new and cleared tokens from responses that came from a configured
 * origin; then it re-checks the cookies. To any other origin the request goes out exactly as given.
 *
 * A request carrying a session header never follows a redirect out of the configured origins:
 * - the caller's own `redirect: 'manual'` or `'error'` is sent as asked;
 * - in a browser, to the page's own origin: `mode: 'same-origin'` (unless the caller chose a mode),
 *   so the browser follows same-origin redirects and fails a cross-origin one (a `TypeError`, as for
 *   any network error) before sending anything there;
 * - otherwise the client follows redirects itself ({@link sendHopByHop}).
 */
export async function sendWithSessions(
  state: ClientState,
  fetchLike: FetchLike,
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const origins = originsOf(state)
  const target = targetOf(input)
  if (target === null || !origins.has(target.url.origin)) return fetchLike(input, init)

  const request = typeof target.send === 'string' ? undefined : target.send
  const given = new Headers(init?.headers ?? request?.headers)
  const headers = withTokens(state, given)
  const sent: RequestInit = { ...init, ...credentialsFor(state, target.url, init, request) }
  const changes: Promise<unknown>[] = []
  const blocked = (why: string) =>
    new SessionError('REDIRECT_BLOCKED', `header sessions: ${why}, so it was not followed`)
  const receive = (response: Response, asked: URL, carried: boolean) => {
    const source = sourceOf(response, asked)
    if (source !== null && origins.has(source.origin)) return captureTokens(state, response, changes)
    if (!carried) return
    discard(response)
    throw blocked('a redirect the fetch function followed left the configured origins')
  }

  try {
    const redirect = init?.redirect ?? (request?.redirect === 'follow' ? undefined : request?.redirect)
    const mode = init?.mode ?? (request?.mode === 'cors' ? undefined : request?.mode)
    const asAsked = headers === null || redirect === 'manual' || redirect === 'error'
    const sameOrigin =
      inBrowser() &&
      target.url.origin === globalThis.location?.origin &&
      (mode === undefined || mode === 'same-origin')
    if (!asAsked && !sameOrigin) {
      return await sendHopByHop({ state, fetchLike, origins, receive, blocked }, target, sent, given)
    }
    const response = await fetchLike(target.send, {
      ...sent,
      ...(headers && { headers }),
      ...(!asAsked && { mode: 'same-origin' as const }),
    })
    receive(response, target.url, headers !== null)
    return response
  } finally {
    for (const entry of state.entries) {
      // Set-Cookie is invisible to scripts: compare the cookie string instead (cheap; verifies only on change).
      if (!entry.store && entry.readable && (entry.settled || entry.listeners.size > 0)) {
        changes.push(resolve(state, entry))
      }
    }
    await Promise.all(changes)
  }
}
