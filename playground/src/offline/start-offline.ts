import { createMockSessions } from '@tessera/browser/testing'
import type { InvalidSessionEvent } from '@tessera/core'
import { createSessionEngine, webCrypto } from '@tessera/core'
import { encodeBase64url, readCookie } from '@tessera/core/internal'
import type { HttpResponseResolver } from 'msw'
import { http } from 'msw'
import { setupWorker } from 'msw/browser'
import { createApi } from '../api/create-api'
import { createPlaygroundEngine, SESSIONS } from '../api/playground-engine'
import type { CookieWrite } from '../api/trace'
import { encodeTrace, TRACE_HEADER } from '../api/trace'
import type { OfflineInfo } from '../lib/playground-context'
import { localStorageStorage } from './local-storage-storage'

const SECRET_KEY = 'tessera-playground:offline-secret'

/** This browser's offline secret: 32 random bytes, made once and kept in localStorage. */
function offlineSecret(): string {
  let secret = localStorage.getItem(SECRET_KEY)
  if (secret === null || secret.length < 43) {
    secret = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)))
    localStorage.setItem(SECRET_KEY, secret)
  }
  return secret
}

const COOKIE_SESSIONS = Object.values(SESSIONS)
  .filter((descriptor) => descriptor.transport === 'cookie')
  .map((descriptor) => descriptor.name)

type ResolverInfo = Parameters<HttpResponseResolver>[0]

/**
 * Starts the offline mode: msw serves `/api/*` with the same handlers the Node server runs, on
 * tessera's portable engine (`@tessera/core`) through `@tessera/browser/testing`. msw's service
 * worker intercepts each request and posts it to this page, where the handlers run; the worker then
 * returns their response. Requests are served one at a time, so each response's trace holds only
 * its own `onInvalid` reports.
 *
 * @example const offline = await startOffline() // before the first fetch to /api
 */
export async function startOffline(): Promise<OfflineInfo> {
  let invalid: InvalidSessionEvent[] | undefined
  const playground = createPlaygroundEngine({
    secret: offlineSecret(),
    createEngine: createSessionEngine,
    crypto: webCrypto,
    loginStorage: localStorageStorage('tessera-playground:login:'),
    onInvalid: (event) => invalid?.push(event),
  })
  const api = createApi({ playground, mode: 'offline', storage: 'localStorage', secret: 'page' })
  const mock = createMockSessions({ engine: playground.engine })
  const resolve = mock.handle(({ request, sessions }) => api({ request, sessions, invalid: invalid ?? [] }))

  // The mock applies cookies itself (document.cookie, or its own jar for HttpOnly ones), since a
  // response made in the page cannot carry Set-Cookie: the trace compares before and after instead.
  const cookies = () => {
    const jar = mock.cookies()
    return new Map(
      COOKIE_SESSIONS.map((name) => [name, readCookie(document.cookie, name) ?? jar[name] ?? null]),
    )
  }

  let queue: Promise<unknown> = Promise.resolve()
  const serve = (info: ResolverInfo) => {
    const served = queue.then(async () => {
      invalid = []
      const before = cookies()
      try {
        // The mock reads the page's cookies from msw's `cookies` argument (a browser's Request has no Cookie header).
        const response = (await resolve(info as never)) as Response
        const writes: CookieWrite[] = []
        for (const [name, value] of cookies()) if (before.get(name) !== value) writes.push({ name, value })
        const login = response.headers.get('login')
        response.headers.set(
          TRACE_HEADER,
          encodeTrace({ invalid, cookies: writes, headers: login === null ? {} : { login } }),
        )
        return response
      } finally {
        invalid = undefined
      }
    })
    queue = served.catch(() => undefined)
    return served
  }

  const worker = setupWorker(http.all('/api/*', serve))
  await worker.start({
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
    quiet: true,
    onUnhandledRequest: 'bypass',
  })
  const hasWorker = 'serviceWorker' in navigator && location.protocol !== 'file:'
  return { interception: hasWorker ? 'service-worker' : 'fallback' }
}
