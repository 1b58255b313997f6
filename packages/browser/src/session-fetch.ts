import type { ClientKit } from '@tessera/core'
import type { ClientState } from './client-state'
import type { FetchLike } from './client-types'

/*
 * Header sessions on fetch, loaded on the first `fetch` or `wrapFetch` call: the origins sessions go
 * to, the tokens attached, and new or cleared tokens captured from responses.
 */

const resolved = new WeakMap<ClientState, ReadonlySet<string>>()

/**
 * The origins of the client's `origins` option (default: the page's own), resolved on first use.
 * Anything but an absolute URL is an `INVALID_OPTION`.
 */
function originsOf(state: ClientState, { SessionError }: ClientKit): ReadonlySet<string> {
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

/** The origin a request goes to, resolved against the page; null when it has none (a relative URL off-page). */
function targetOrigin(input: RequestInfo | URL): string | null {
  const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url
  try {
    return new URL(url, globalThis.location?.href).origin
  } catch {
    return null
  }
}

/** What a response header may carry for a header session: a v1 token or the cleared marker. */
const TOKEN = /^v1\.[A-Za-z0-9._-]+$/

/**
 * Sends a request through `fetchLike`. To a configured origin it attaches each header session's
 * token (a header the caller set wins), sends cookies across origins (`credentials: 'include'` unless
 * the caller chose), and afterwards captures new and cleared tokens and re-checks the cookies. To any
 * other origin the request goes out exactly as given.
 */
export async function sendWithSessions(
  state: ClientState,
  fetchLike: FetchLike,
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const origin = targetOrigin(input)
  const kit = await state.kit()
  if (origin === null || !originsOf(state, kit).has(origin)) return fetchLike(input, init)

  const request = typeof input === 'object' && 'headers' in input ? input : undefined
  const headers = new Headers(init?.headers ?? request?.headers)
  let carriesHeader = false
  for (const entry of state.entries) {
    if (!entry.store || headers.has(entry.name)) continue
    const token = entry.store.get(entry.name)
    if (token === undefined) continue
    headers.set(entry.name, token)
    carriesHeader = true
  }
  const crossOrigin = origin !== globalThis.location?.origin
  const withCookies = state.entries.some((entry) => !entry.store)
  let credentials = init?.credentials
  if (
    credentials === undefined &&
    crossOrigin &&
    withCookies &&
    (request?.credentials ?? 'same-origin') === 'same-origin'
  ) {
    credentials = 'include'
  }
  const response = await fetchLike(input, {
    ...init,
    ...(carriesHeader ? { headers } : {}),
    ...(credentials === undefined ? {} : { credentials }),
  })

  const changes: Promise<unknown>[] = []
  for (const entry of state.entries) {
    if (entry.store) {
      const value = response.headers.get(entry.name)
      if (value === null || !(value === kit.HEADER_CLEARED || TOKEN.test(value))) continue
      if (value === kit.HEADER_CLEARED) entry.store.delete(entry.name)
      else if (value !== entry.store.get(entry.name)) entry.store.set(entry.name, value)
      else continue
      changes.push(state.read(entry))
    } else if (entry.readable && (entry.settled || entry.listeners.size > 0)) {
      // Set-Cookie is invisible to scripts: compare the cookie string instead (cheap; verifies only on change).
      changes.push(state.read(entry))
    }
  }
  await Promise.all(changes)
  return response
}
