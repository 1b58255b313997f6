import type { ClientState } from './client-state'
import type { FetchLike } from './client-types'

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
  if (origin === null || !state.origins.has(origin)) return fetchLike(input, init)

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

  const { HEADER_CLEARED } = state.core
  const changes: Promise<unknown>[] = []
  for (const entry of state.entries) {
    if (entry.store) {
      const value = response.headers.get(entry.name)
      if (value === null || !(value === HEADER_CLEARED || TOKEN.test(value))) continue
      if (value === HEADER_CLEARED) entry.store.delete(entry.name)
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
