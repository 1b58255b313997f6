/*
 * What fetch does with a redirect (the fetch standard's "HTTP-redirect fetch"), for a client that
 * follows redirects itself, one hop at a time, so it can vet each hop before anything is sent: which
 * responses redirect and where to, the method and body of the next request, and a body that can be
 * sent again.
 */

/** Fetch follows at most this many redirects; the next one is a network error. */
export const MAX_REDIRECTS = 20

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Headers that describe a body: dropped with it when a redirect turns the request into a GET. */
export const REQUEST_BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]

/** The request fetch sends after a redirect. */
export interface RedirectHop {
  readonly url: URL
  readonly method: string
  /** False when the redirect turned the request into a GET without its body. */
  readonly keepsBody: boolean
}

/** Method names fetch upper-cases; any other keeps its case. */
const normalize = (method: string) =>
  /^(delete|get|head|options|post|put)$/i.test(method) ? method.toUpperCase() : method

/**
 * The request fetch would send after `response` to a request of `method` to `from`: null when fetch
 * hands the response back as it is (not 301, 302, 303, 307 or 308, or no `Location`). 303 turns any
 * method but GET and HEAD into a GET without body, 301 and 302 turn a POST into one, and otherwise the
 * method and body stay. A `Location` that is not an http(s) URL is a network error (`TypeError`), as
 * in fetch; the error never quotes it.
 *
 * @example
 * nextHop(response, new URL('https://app.example/login'), 'POST') // { url: …/home, method: 'GET', keepsBody: false } after a 303
 */
export function nextHop(response: Response, from: URL, method: string): RedirectHop | null {
  if (!REDIRECT_STATUSES.has(response.status)) return null
  const location = response.headers.get('location')
  if (location === null) return null
  let url: URL
  try {
    url = new URL(location, from)
  } catch {
    throw new TypeError('fetch failed: a redirect location is not a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('fetch failed: a redirect location is not an http(s) URL')
  }
  const status = response.status
  const given = normalize(method)
  const toGet =
    (status === 303 && given !== 'GET' && given !== 'HEAD') ||
    ((status === 301 || status === 302) && given === 'POST')
  return { url, method: toGet ? 'GET' : given, keepsBody: !toGet }
}

/** A request body as the hops see it. */
export interface ReplayableBody {
  /** True when there is a body that cannot be sent twice (a stream, an async iterable). */
  readonly once: boolean
  /** The body for the next hop; read at most once from a Request however many hops follow. */
  again(): Promise<BodyInit | null>
  /** Lets go of what was kept for a replay. */
  release(): void
}

const isStream = (body: unknown): boolean =>
  typeof body === 'object' &&
  body !== null &&
  (typeof (body as ReadableStream).getReader === 'function' || Symbol.asyncIterator in body)

/**
 * The body of a request that may have to be sent again after a 307 or 308. A body given in `init`
 * that is a string, bytes, a Blob, FormData or URLSearchParams is sent again as it is; a stream or an
 * async iterable is not (`once`: fetch fails such a redirect with a network error, and so does the
 * client). A Request's own body is kept by cloning the Request before it is sent: its bytes stay in
 * memory until the response arrives, and are read only when a redirect keeps the body.
 *
 * @example
 * const body = replayableBody(request, init) // before the first hop
 * await body.again()                          // for a 307
 */
export function replayableBody(request: Request | undefined, init: RequestInit | undefined): ReplayableBody {
  const given = init?.body ?? null
  if (given !== null || !request?.body || request.bodyUsed) {
    return { once: isStream(given), again: async () => given, release: () => undefined }
  }
  const spare = request.clone()
  let bytes: Promise<ArrayBuffer> | undefined
  return {
    once: false,
    again: () => (bytes ??= spare.arrayBuffer()),
    release() {
      if (!bytes) void spare.body?.cancel().catch(() => undefined)
    },
  }
}
