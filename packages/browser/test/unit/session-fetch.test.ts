import { HEADER_CLEARED } from '@tessera/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { HeaderStore } from '../../src'
import { createSessionClient } from '../../src'
import { API, Badge, Login, ORIGIN, Prefs, publicKeys, signed, THIRD_PARTY } from './fixtures'

const TOKEN_1 = 'v1.s.0.1800000000.1800003600.aWQtb25l.dGFnLW9uZQ'
const TOKEN_2 = 'v1.s.0.1800000000.1800003600.aWQtdHdv.dGFnLXR3bw'

/** What each server saw, and what it answers with next. */
const seen: { url: string; login: string | null; credentials: RequestCredentials }[] = []
let answer: Record<string, string> = {}

const echo = ({ request }: { request: Request }) => {
  seen.push({ url: request.url, login: request.headers.get('login'), credentials: request.credentials })
  return HttpResponse.json({ ok: true }, { headers: answer })
}
const server = setupServer(...[ORIGIN, API, THIRD_PARTY].map((origin) => http.all(`${origin}/*`, echo)))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  seen.length = 0
  answer = {}
  sessionStorage.clear()
  localStorage.clear()
})
afterAll(() => server.close())

const last = () => seen.at(-1)!

describe('header sessions on fetch: where they go', () => {
  it('attaches the token to same-origin requests by default, and to no other origin', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const sessions = createSessionClient({ sessions: [Login] })
    await sessions.fetch('/api/me')
    expect(last()).toMatchObject({ url: `${ORIGIN}/api/me`, login: TOKEN_1 })
    await sessions.fetch(`${API}/me`)
    expect(last().login).toBeNull()
    await sessions.fetch(`${THIRD_PARTY}/pixel`)
    expect(last().login).toBeNull()
  })

  it('attaches it to every configured origin, and still never to a third party', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const sessions = createSessionClient({ sessions: [Login], origins: [ORIGIN, `${API}/any/path`] })
    await sessions.fetch('/api/me')
    expect(last().login).toBe(TOKEN_1)
    await sessions.fetch(new URL('/orders', API))
    expect(last().login).toBe(TOKEN_1)
    await sessions.fetch(`${THIRD_PARTY}/collect`, { method: 'POST', body: 'x' })
    expect(last().login).toBeNull()
  })

  it('does not take tokens from a third party response', async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    answer = { login: TOKEN_2 }
    await sessions.fetch(`${THIRD_PARTY}/evil`)
    expect(sessions.has(Login)).toBe(false)
    expect(sessionStorage.getItem('tessera:login')).toBeNull()
  })

  it('leaves a header the caller set alone', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const sessions = createSessionClient({ sessions: [Login] })
    await sessions.fetch('/api/me', { headers: { login: TOKEN_2 } })
    expect(last().login).toBe(TOKEN_2)
  })

  it('keeps the headers of a Request given as input', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const sessions = createSessionClient({ sessions: [Login] })
    await sessions.fetch(new Request(`${ORIGIN}/api/me`, { headers: { 'x-trace': 'abc' } }))
    expect(last().login).toBe(TOKEN_1)
  })
})

describe('header sessions on fetch: capture', () => {
  it('captures a new token, sends it next, and drops it when the server clears it', async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    answer = { login: TOKEN_1 }
    await sessions.fetch('/api/login', { method: 'POST' })
    expect(sessions.has(Login)).toBe(true)
    answer = {}
    await sessions.fetch('/api/me')
    expect(last().login).toBe(TOKEN_1)
    answer = { login: TOKEN_2 }
    await sessions.fetch('/api/refresh')
    answer = {}
    await sessions.fetch('/api/me')
    expect(last().login).toBe(TOKEN_2)
    answer = { login: HEADER_CLEARED }
    await sessions.fetch('/api/logout', { method: 'POST' })
    expect(sessions.has(Login)).toBe(false)
    answer = {}
    await sessions.fetch('/api/me')
    expect(last().login).toBeNull()
  })

  it('ignores a header value that is not a token', async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    answer = { login: 'yes please' }
    await sessions.fetch('/api/login')
    expect(sessions.has(Login)).toBe(false)
  })

  it('verifies a captured client-visible header session before get returns it', async () => {
    const sessions = createSessionClient({ sessions: [Badge], publicKeys: await publicKeys('badge') })
    answer = { badge: await signed('badge', { level: 2 }) }
    await sessions.fetch('/api/badge')
    expect(sessions.peek(Badge)).toEqual({ level: 2 })
    answer = { badge: `${await signed('badge', { level: 3 })}x` }
    await sessions.fetch('/api/badge')
    expect(await sessions.get(Badge)).toBeNull()
  })
})

describe('header sessions on fetch: where tokens are kept', () => {
  it("'session' (the default) keeps them in sessionStorage", async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    answer = { login: TOKEN_1 }
    await sessions.fetch('/api/login')
    expect(sessionStorage.getItem('tessera:login')).toBe(TOKEN_1)
    expect(localStorage.getItem('tessera:login')).toBeNull()
  })

  it("'local' keeps them in localStorage", async () => {
    const sessions = createSessionClient({ sessions: [Login], headerStore: 'local' })
    answer = { login: TOKEN_1 }
    await sessions.fetch('/api/login')
    expect(localStorage.getItem('tessera:login')).toBe(TOKEN_1)
    expect(sessionStorage.getItem('tessera:login')).toBeNull()
  })

  it("'memory' keeps them in no storage, and only for this client", async () => {
    const sessions = createSessionClient({ sessions: [Login], headerStore: 'memory' })
    answer = { login: TOKEN_1 }
    await sessions.fetch('/api/login')
    expect(sessionStorage.length + localStorage.length).toBe(0)
    answer = {}
    await sessions.fetch('/api/me')
    expect(last().login).toBe(TOKEN_1)
    await createSessionClient({ sessions: [Login], headerStore: 'memory' }).fetch('/api/me')
    expect(last().login).toBeNull()
  })

  it('a store per session overrides the client default, and custom stores work', async () => {
    const tokens = new Map<string, string>()
    const custom: HeaderStore = {
      get: (name) => tokens.get(name),
      set: (name, token) => void tokens.set(name, token),
      delete: (name) => void tokens.delete(name),
    }
    const sessions = createSessionClient({
      sessions: [{ descriptor: Login, options: { store: custom } }],
      headerStore: 'local',
    })
    answer = { login: TOKEN_1 }
    await sessions.fetch('/api/login')
    expect(tokens.get('login')).toBe(TOKEN_1)
    expect(localStorage.length).toBe(0)
  })

  it('falls back to memory when the storage refuses a write', async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    const setItem = Storage.prototype.setItem
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    try {
      answer = { login: TOKEN_1 }
      await sessions.fetch('/api/login')
    } finally {
      Storage.prototype.setItem = setItem
    }
    answer = {}
    await sessions.fetch('/api/me')
    expect(last().login).toBe(TOKEN_1)
  })
})

describe('credentials for cookie sessions', () => {
  it("sends cookies to a configured cross origin (credentials: 'include'), not to others", async () => {
    const sessions = createSessionClient({ sessions: [Prefs, Login], origins: [ORIGIN, API] })
    await sessions.fetch(`${API}/cart`)
    expect(last().credentials).toBe('include')
    await sessions.fetch(`${THIRD_PARTY}/x`)
    expect(last().credentials).toBe('same-origin')
    await sessions.fetch('/same')
    expect(last().credentials).toBe('same-origin')
  })

  it("respects the caller's choice", async () => {
    const sessions = createSessionClient({ sessions: [Prefs], origins: [ORIGIN, API] })
    await sessions.fetch(`${API}/cart`, { credentials: 'omit' })
    expect(last().credentials).toBe('omit')
  })

  it('leaves credentials alone when no cookie session is registered', async () => {
    const sessions = createSessionClient({ sessions: [Login], origins: [ORIGIN, API] })
    await sessions.fetch(`${API}/cart`)
    expect(last().credentials).toBe('same-origin')
  })
})

describe('wrapFetch', () => {
  it('wraps any fetch-compatible function the same way', async () => {
    const calls: { url: string; login: string | null }[] = []
    const double = async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), login: new Headers(init?.headers).get('login') })
      return new Response('{}', { headers: { login: TOKEN_2 } })
    }
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const sessions = createSessionClient({ sessions: [Login] })
    const wrapped = sessions.wrapFetch(double)
    await wrapped('/api/one')
    await wrapped(`${THIRD_PARTY}/two`)
    await wrapped('/api/three')
    expect(calls).toEqual([
      { url: '/api/one', login: TOKEN_1 },
      { url: `${THIRD_PARTY}/two`, login: null },
      { url: '/api/three', login: TOKEN_2 },
    ])
  })
})
