import { cookie, header } from '@tessera/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSessionClient } from '../../src'
import { createMockSessions } from '../../src/testing'
import { API, Cart, clearCookies, Login, ORIGIN, Prefs, SECRET, Vault } from './fixtures'

const mock = createMockSessions({
  secret: SECRET,
  sessions: [cookie(Cart), header(Login), cookie(Vault), cookie(Prefs)],
})
const routes = (origin: string) => [
  http.post(
    `${origin}/api/login`,
    mock.handle(async ({ request, sessions }) => {
      const { userId } = (await request.json()) as { userId: string }
      await sessions.set(Login, { userId })
      await sessions.set(Cart, { items: [{ sku: 'A-1', qty: 1 }] })
      await sessions.set(Vault, { pin: '1234' })
      return HttpResponse.json({ ok: true }, { headers: { 'x-app': 'mock' } })
    }),
  ),
  http.get(
    `${origin}/api/me`,
    mock.handle(async ({ sessions }) =>
      HttpResponse.json({
        login: await sessions.get(Login),
        vault: await sessions.get(Vault),
        prefs: await sessions.get(Prefs),
      }),
    ),
  ),
  http.post(
    `${origin}/api/logout`,
    mock.handle(async ({ sessions }) => {
      await sessions.clear(Login)
      await sessions.clear(Vault)
      return new HttpResponse(null, { status: 204 })
    }),
  ),
]
const server = setupServer(...routes(ORIGIN), ...routes(API))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  clearCookies()
  sessionStorage.clear()
})
afterAll(() => server.close())

const post = (body: unknown) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
})

describe('createMockSessions: the real engine inside msw handlers', () => {
  it('runs a login, a signed client-visible cookie, a header session and a logout without a back end', async () => {
    const client = createSessionClient({
      sessions: [Cart, Login, Prefs],
      publicKeys: await mock.publicKeys(),
    })

    const login = await client.fetch('/api/login', post({ userId: 'u-1' }))
    expect(login.status).toBe(200)
    expect(login.headers.get('x-app')).toBe('mock')
    expect(client.has(Login)).toBe(true)
    expect(await client.get(Cart)).toEqual({ items: [{ sku: 'A-1', qty: 1 }] })
    // The server-only cookie is HttpOnly: the page cannot see it, the mock's jar keeps it.
    expect(document.cookie).not.toContain('vault=')
    expect(Object.keys(mock.cookies())).toEqual(['vault'])

    await client.set(Prefs, { theme: 'dark' })
    const me = await (await client.fetch('/api/me')).json()
    expect(me).toEqual({ login: { userId: 'u-1' }, vault: { pin: '1234' }, prefs: { theme: 'dark' } })

    const logout = await client.fetch('/api/logout', { method: 'POST' })
    expect(logout.status).toBe(204)
    expect(client.has(Login)).toBe(false)
    expect(mock.cookies()).toEqual({})
    const after = await (await client.fetch('/api/me')).json()
    expect(after).toEqual({ login: null, vault: null, prefs: { theme: 'dark' } })
  })

  it('keeps the cookies of another origin in its jar, not in the page', async () => {
    const client = createSessionClient({
      sessions: [Cart, Login],
      origins: [API],
      publicKeys: await mock.publicKeys(),
    })
    await client.fetch(`${API}/api/login`, post({ userId: 'u-2' }))
    expect(document.cookie).not.toContain('cart=')
    expect(Object.keys(mock.cookies()).sort()).toEqual(['cart', 'vault'])
    const me = await (await client.fetch(`${API}/api/me`)).json()
    expect(me.login).toEqual({ userId: 'u-2' })
  })

  it('exposes the header session to cross-origin pages, as a server does', async () => {
    const resolver = mock.handle(async ({ sessions }) => {
      await sessions.set(Login, { userId: 'u-3' })
      return HttpResponse.json({}, { headers: { 'access-control-expose-headers': 'x-app' } })
    })
    const request = { url: `${API}/api/login`, headers: new Headers({ origin: ORIGIN }) } as Request
    const response = (await resolver({
      request,
      params: {},
      cookies: {},
      requestId: '1',
    } as never)) as Response
    expect(response.headers.get('access-control-expose-headers')).toBe('x-app, login')
    expect(response.headers.get('login')).toMatch(/^v1\.s\./)
  })

  it("reads the page's cookies from msw's cookies argument when the request has no Cookie header (a real browser)", async () => {
    const issue = mock.handle(async ({ sessions }) => {
      await sessions.set(Prefs, { theme: 'dark' })
      return HttpResponse.json({})
    })
    const issued = (await issue({
      request: new Request(`${ORIGIN}/api/prefs`),
      params: {},
      cookies: {},
      requestId: '1',
    } as never)) as Response
    expect(issued.status).toBe(200)
    const token = document.cookie.match(/(?:^|; )prefs=([^;]*)/)?.[1]
    expect(token).toMatch(/^v1\.n\./)
    const read = mock.handle(async ({ sessions }) => HttpResponse.json({ prefs: await sessions.get(Prefs) }))
    const response = (await read({
      request: new Request(`${ORIGIN}/api/me`),
      params: {},
      cookies: { prefs: token! },
      requestId: '2',
    } as never)) as Response
    expect(await response.json()).toEqual({ prefs: { theme: 'dark' } })
  })
})
