import { runInNewContext } from 'node:vm'
import { HEADER_CLEARED } from '@tessera/core/internal'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FetchLike, HeaderStore } from '../../src'
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

describe('header sessions on fetch: the target is resolved as fetch resolves it', () => {
  /** A fetch double that records where each call goes and with which session header and options. */
  const recorder = (answer: (url: string) => Response = () => new Response('{}')) => {
    const calls: { input: string; login: string | null; mode?: RequestMode; redirect?: RequestRedirect }[] =
      []
    const double = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input)
      calls.push({
        input: url,
        login: new Headers(init?.headers).get('login'),
        mode: init?.mode,
        redirect: init?.redirect,
      })
      return answer(url)
    }
    return { calls, double }
  }

  afterEach(() => {
    for (const base of document.querySelectorAll('base')) base.remove()
  })

  it('an object with toString goes by its string: no header when it points elsewhere', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const { calls, double } = recorder()
    const send = createSessionClient({ sessions: [Login] }).wrapFetch(double)
    await send({ toString: () => `${THIRD_PARTY}/steal` } as unknown as URL)
    await send({ toString: () => `${ORIGIN}/api/me` } as unknown as URL)
    expect(calls).toMatchObject([
      { input: `${THIRD_PARTY}/steal`, login: null },
      { input: `${ORIGIN}/api/me`, login: TOKEN_1 },
    ])
  })

  it('a URL-like object of another realm goes by its string too', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const foreign = runInNewContext(
      'class URL { constructor(href) { this.href = href } toString() { return this.href } }; new URL(href)',
      { href: `${THIRD_PARTY}/steal` },
    ) as URL
    await createSessionClient({ sessions: [Login] }).fetch(foreign)
    expect(last()).toMatchObject({ url: `${THIRD_PARTY}/steal`, login: null })
  })

  it('a toString is called once, and fetch is handed the string that was checked', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    let calls = 0
    const shifty = { toString: () => (calls++ === 0 ? `${ORIGIN}/api/me` : `${THIRD_PARTY}/steal`) }
    const { calls: sent, double } = recorder()
    await createSessionClient({ sessions: [Login] }).wrapFetch(double)(shifty as unknown as URL)
    expect(sent).toMatchObject([{ input: `${ORIGIN}/api/me`, login: TOKEN_1 }])
  })

  it('a Request-like object that is not a Request of this realm gets no header', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const { calls, double } = recorder()
    const lookalike = { [Symbol.toStringTag]: 'Request', url: `${ORIGIN}/api/me`, headers: new Headers() }
    await createSessionClient({ sessions: [Login] }).wrapFetch(double)(lookalike as unknown as Request)
    expect(calls).toMatchObject([{ login: null }])
  })

  it('a relative URL resolves against the document base URL, as fetch does', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const base = document.createElement('base')
    base.href = `${THIRD_PARTY}/`
    document.head.append(base)
    expect(document.baseURI).toBe(`${THIRD_PARTY}/`)
    const { calls, double } = recorder()
    await createSessionClient({ sessions: [Login] }).wrapFetch(double)('pixel')
    expect(calls).toMatchObject([{ input: 'pixel', login: null }])
  })
})

describe('header sessions on fetch: redirects and where a response came from', () => {
  const redirectTo = (location: string, status = 302) => new Response(null, { status, headers: { location } })
  /** A response as a fetch that followed a redirect reports it (a test double cannot build one). */
  const arrived = (response: Response, url: string | null) => {
    Object.defineProperty(response, 'redirected', { value: true })
    if (url !== null) Object.defineProperty(response, 'url', { value: url })
    return response
  }

  it("in the page, a request to its own origin goes with mode 'same-origin' (the browser then refuses a cross-origin redirect)", async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const inits: (RequestInit | undefined)[] = []
    const sessions = createSessionClient({ sessions: [Login] })
    const send = sessions.wrapFetch<FetchLike>(async (_input, init) => {
      inits.push(init)
      return new Response('{}')
    })
    await send('/api/me')
    await send('/api/me', { mode: 'cors' })
    await send('/api/me', { redirect: 'error' })
    expect(inits.map((init) => [init?.mode, init?.redirect])).toEqual([
      ['same-origin', undefined],
      ['cors', 'manual'],
      [undefined, 'error'],
    ])
  })

  it('to another allowed origin it goes with redirect: manual; a redirect out of the origins is refused', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const calls: { url: string; login: string | null; redirect?: RequestRedirect }[] = []
    const sessions = createSessionClient({ sessions: [Login], origins: [ORIGIN, API] })
    const send = sessions.wrapFetch<FetchLike>(async (input, init) => {
      const url = String(input)
      calls.push({ url, login: new Headers(init?.headers).get('login'), redirect: init?.redirect })
      if (url.endsWith('/away')) return redirectTo(`${THIRD_PARTY}/steal`)
      if (url.endsWith('/moved')) return redirectTo(`${API}/here`, 308)
      return new Response('{}')
    })
    const error = await send(`${API}/away`).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ name: 'SessionError', code: 'REDIRECT_BLOCKED' })
    expect(String((error as Error).message)).not.toContain(THIRD_PARTY)
    const response = await send(`${API}/moved`)
    expect(response.redirected).toBe(true)
    expect(calls).toEqual([
      { url: `${API}/away`, login: TOKEN_1, redirect: 'manual' },
      { url: `${API}/moved`, login: TOKEN_1, redirect: 'manual' },
      { url: `${API}/here`, login: TOKEN_1, redirect: 'manual' },
    ])
  })

  it('an opaque redirect (the browser hides where it leads) is refused with REDIRECT_BLOCKED', async () => {
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const opaque = () => {
      const response = new Response(null, { status: 200 })
      Object.defineProperty(response, 'type', { value: 'opaqueredirect' })
      return response
    }
    const sessions = createSessionClient({ sessions: [Login], origins: [ORIGIN, API] })
    await expect(sessions.wrapFetch<FetchLike>(async () => opaque())(`${API}/away`)).rejects.toMatchObject({
      code: 'REDIRECT_BLOCKED',
    })
    // The caller's own redirect: 'manual' gets it back as it is.
    const response = await sessions.wrapFetch<FetchLike>(async () => opaque())(`${API}/away`, {
      redirect: 'manual',
    })
    expect(response.type).toBe('opaqueredirect')
  })

  it('takes no token from a response that came from a third party after a redirect', async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    const send = sessions.wrapFetch<FetchLike>(async () =>
      arrived(new Response('{}', { headers: { login: TOKEN_2 } }), `${THIRD_PARTY}/landing`),
    )
    await send('/api/login', { method: 'POST' })
    expect(sessions.has(Login)).toBe(false)
  })

  it('takes no token, nor the cleared marker, when a response was redirected and has no URL', async () => {
    const sessions = createSessionClient({ sessions: [Login] })
    await sessions.wrapFetch<FetchLike>(async () =>
      arrived(new Response('{}', { headers: { login: TOKEN_2 } }), null),
    )('/api/login')
    expect(sessions.has(Login)).toBe(false)
    sessionStorage.setItem('tessera:login', TOKEN_1)
    const holding = createSessionClient({ sessions: [Login] })
    const cleared = holding.wrapFetch<FetchLike>(async () =>
      arrived(new Response('{}', { headers: { login: HEADER_CLEARED } }), null),
    )
    await expect(cleared('/api/logout')).rejects.toMatchObject({ code: 'REDIRECT_BLOCKED' })
    expect(holding.has(Login)).toBe(true)
  })

  it('takes a token from a response of an allowed origin reached by a redirect', async () => {
    const sessions = createSessionClient({ sessions: [Login], origins: [ORIGIN, API] })
    await sessions.wrapFetch<FetchLike>(async () =>
      arrived(new Response('{}', { headers: { login: TOKEN_2 } }), `${API}/welcome`),
    )('/api/login')
    expect(sessions.has(Login)).toBe(true)
  })
})
