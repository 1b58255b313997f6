import { defineSession, jsonCodec } from '@tessera/core'
import { protectNone } from '@tessera/core/internal'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from '../../src'
import { CHANNEL } from '../../src/change-watcher'
import {
  Badge,
  clearCookies,
  Draft,
  Login,
  nowSeconds,
  ORIGIN,
  Prefs,
  publicKeys,
  setCookie,
  signed,
} from './fixtures'

const TOKEN = 'v1.s.0.1800000000.1800003600.aWQtb25l.dGFnLW9uZQ'
let answer: Record<string, string> = {}
let onRequest: () => void = () => undefined
const server = setupServer(
  http.all(`${ORIGIN}/*`, () => {
    onRequest()
    return HttpResponse.json({}, { headers: answer })
  }),
)
const clients: { close(): void }[] = []
/** A client closed after the test, so no listener outlives it. */
function track<T extends { close(): void }>(client: T): T {
  clients.push(client)
  return client
}
/** A browser-owned token as another tab would have written it. */
const prefsToken = (theme: 'dark' | 'light') =>
  protectNone(JSON.stringify({ theme }), { iat: nowSeconds(), exp: nowSeconds() + 3600 })

/**
 * A client watching Prefs, with `cookieStore` as given (undefined: a browser without it), that has
 * read Prefs once and whose watching part is loaded and listening.
 */
async function watchingPrefs(cookieStore: EventTarget | undefined) {
  vi.stubGlobal('cookieStore', cookieStore)
  const sessions = track(createSessionClient({ sessions: [Prefs] }))
  const listener = vi.fn()
  sessions.subscribe(Prefs, listener)
  await sessions.get(Prefs)
  await sessions.refresh()
  return listener
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
  answer = {}
  onRequest = () => undefined
  clearCookies()
  sessionStorage.clear()
  localStorage.clear()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})
afterAll(() => server.close())

describe('subscribe: changes through this client', () => {
  it('fires on set and clear with the new value', async () => {
    const sessions = track(createSessionClient({ sessions: [Prefs] }))
    const seen: unknown[] = []
    sessions.subscribe(Prefs, (value) => seen.push(value))
    await sessions.set(Prefs, { theme: 'dark' })
    await sessions.set(Prefs, { theme: 'light' })
    await sessions.clear(Prefs)
    expect(seen).toEqual([{ theme: 'dark' }, { theme: 'light' }, null])
  })

  it('knows a header token kept from an earlier visit, so forgetting it is news', async () => {
    sessionStorage.setItem('tessera:login', TOKEN)
    const sessions = track(createSessionClient({ sessions: [Login] }))
    const listener = vi.fn()
    sessions.subscribe(Login, listener)
    await sessions.clear(Login)
    expect(listener).toHaveBeenCalledExactlyOnceWith(false)
    expect(sessionStorage.getItem('tessera:login')).toBeNull()
  })

  it('stops after unsubscribe, and a throwing listener stops no other', async () => {
    const sessions = track(createSessionClient({ sessions: [Prefs] }))
    const thrown: unknown[] = []
    const onError = (error: Error) => thrown.push(error)
    process.on('uncaughtException', onError)
    const kept = vi.fn()
    const dropped = vi.fn()
    sessions.subscribe(Prefs, () => {
      throw new Error('listener bug')
    })
    sessions.subscribe(Prefs, kept)
    const off = sessions.subscribe(Prefs, dropped)
    off()
    await sessions.set(Prefs, { theme: 'dark' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    process.off('uncaughtException', onError)
    expect(kept).toHaveBeenCalledWith({ theme: 'dark' })
    expect(dropped).not.toHaveBeenCalled()
    // The failure is not swallowed: it surfaces as an uncaught error, after the others ran.
    expect(thrown).toEqual([expect.objectContaining({ message: 'listener bug' })])
  })
})

describe('subscribe: changes through a response', () => {
  it('fires with presence for an opaque header session', async () => {
    const sessions = track(createSessionClient({ sessions: [Login] }))
    const seen: boolean[] = []
    sessions.subscribe(Login, (present) => seen.push(present))
    answer = { login: TOKEN }
    await sessions.fetch('/api/login')
    await sessions.fetch('/api/again')
    answer = { login: 'cleared' }
    await sessions.fetch('/api/logout')
    expect(seen).toEqual([true, false])
  })

  it('fires with the verified value of a client-visible header session', async () => {
    const sessions = track(createSessionClient({ sessions: [Badge], publicKeys: await publicKeys('badge') }))
    const listener = vi.fn()
    sessions.subscribe(Badge, listener)
    answer = { badge: await signed('badge', { level: 4 }) }
    await sessions.fetch('/api/badge')
    expect(listener).toHaveBeenCalledExactlyOnceWith({ level: 4 })
  })

  it('fires when a response changed a cookie (checked after each fetch)', async () => {
    vi.stubGlobal('cookieStore', undefined)
    const sessions = track(createSessionClient({ sessions: [Prefs] }))
    const listener = vi.fn()
    sessions.subscribe(Prefs, listener)
    await sessions.get(Prefs)
    onRequest = () => setCookie(`prefs=${prefsToken('light')}; Path=/`)
    await sessions.fetch('/api/prefs')
    expect(listener).toHaveBeenCalledExactlyOnceWith({ theme: 'light' })
  })
})

describe('subscribe: changes in another tab', () => {
  it('hears another client through the BroadcastChannel (a localStorage header session)', async () => {
    const here = track(createSessionClient({ sessions: [Draft], headerStore: 'local' }))
    const there = track(createSessionClient({ sessions: [Draft], headerStore: 'local' }))
    const listener = vi.fn()
    here.subscribe(Draft, listener)
    await here.get(Draft)
    await there.get(Draft)
    await there.set(Draft, { text: 'typed elsewhere' })
    await vi.waitFor(() => expect(listener).toHaveBeenCalledWith({ text: 'typed elsewhere' }))
  })

  it('hears storage events for header tokens in localStorage', async () => {
    const sessions = track(createSessionClient({ sessions: [Login], headerStore: 'local' }))
    const listener = vi.fn()
    sessions.subscribe(Login, listener)
    await vi.waitFor(async () => {
      localStorage.setItem('tessera:login', TOKEN)
      window.dispatchEvent(new StorageEvent('storage', { key: 'tessera:login', newValue: TOKEN }))
      expect(listener).toHaveBeenCalledWith(true)
    })
  })

  it('re-checks cookies when the window regains focus (no CookieStore)', async () => {
    const listener = await watchingPrefs(undefined)
    setCookie(`prefs=${prefsToken('dark')}; Path=/`)
    await vi.waitFor(() => {
      window.dispatchEvent(new Event('focus'))
      expect(listener).toHaveBeenCalledWith({ theme: 'dark' })
    })
  })

  it('hears CookieStore change events where the browser has them', async () => {
    const store = new EventTarget()
    const listener = await watchingPrefs(store)
    setCookie(`prefs=${prefsToken('light')}; Path=/`)
    await vi.waitFor(() => {
      const change = Object.assign(new Event('change'), { changed: [{ name: 'prefs' }], deleted: [] })
      store.dispatchEvent(change)
      expect(listener).toHaveBeenCalledWith({ theme: 'light' })
    })
    window.dispatchEvent(new Event('focus'))
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('keeps reading when a CookieStore event arrives before document.cookie shows the change', async () => {
    const store = new EventTarget()
    const listener = await watchingPrefs(store)
    const token = prefsToken('dark')
    // Chromium can fire the event while this page's cookie view still holds the old cookies.
    store.dispatchEvent(
      Object.assign(new Event('change'), { changed: [{ name: 'prefs', value: token }], deleted: [] }),
    )
    await new Promise((done) => setTimeout(done, 30))
    expect(listener).not.toHaveBeenCalled()
    setCookie(`prefs=${token}; Path=/`)
    await vi.waitFor(() => expect(listener).toHaveBeenCalledExactlyOnceWith({ theme: 'dark' }))
  })

  it('keeps reading when another tab says a cookie changed before this page sees it', async () => {
    const listener = await watchingPrefs(undefined)
    const elsewhere = new BroadcastChannel(CHANNEL)
    elsewhere.postMessage({ session: 'prefs' })
    await new Promise((done) => setTimeout(done, 30))
    setCookie(`prefs=${prefsToken('light')}; Path=/`)
    await vi.waitFor(() => expect(listener).toHaveBeenCalledExactlyOnceWith({ theme: 'light' }))
    elsewhere.close()
  })
})

describe('subscribe: expiry', () => {
  it('tells subscribers when the cached value expires', async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) })
    const Brief = defineSession<{ n: number }>()('brief', {
      visibility: 'client',
      protection: 'none',
      codec: jsonCodec,
      expiry: { idle: 60 },
    })
    const sessions = track(createSessionClient({ sessions: [Brief] }))
    await sessions.set(Brief, { n: 1 })
    const listener = vi.fn()
    sessions.subscribe(Brief, listener)
    await vi.advanceTimersByTimeAsync(59_000)
    expect(listener).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(listener).toHaveBeenCalledExactlyOnceWith(null)
    expect(sessions.peek(Brief)).toBeNull()
  })
})
