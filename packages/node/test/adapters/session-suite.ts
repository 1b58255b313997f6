import { HEADER_CLEARED } from '@tessera/core/internal'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookie, createSessions, isSessionError } from '../../src'
import type { Reply } from './client'
import { cookieNamed, get, parseSetCookie } from './client'
import type { Deferred, Harness, Routes, StartServer, SuiteEngine } from './sessions'
import {
  Browser,
  Cart,
  createSuiteEngine,
  Device,
  deferred,
  Encoded,
  Login,
  Long,
  Pipe,
  Prefs,
  SECRET,
  Stored,
  Strict,
  Token,
} from './sessions'

const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT'

interface Probe {
  late: Deferred<string>
}

function routes(probe: Probe): Routes {
  const n = (query: URLSearchParams) => Number(query.get('n') ?? '1')
  return {
    '/noop': { handler: async () => 'ok' },
    '/cart/get': { handler: ({ sessions }) => sessions.get(Cart) },
    '/cart/set': {
      async handler({ sessions, query }) {
        await sessions.set(Cart, { items: n(query) })
        return 'set'
      },
    },
    '/cart/clear': {
      async handler({ sessions }) {
        await sessions.clear(Cart)
        return 'cleared'
      },
    },
    '/cart/set-null': {
      async handler({ sessions }) {
        await sessions.set(Cart, null as never)
        return 'unreachable'
      },
    },
    '/cart/set-clear': {
      async handler({ sessions }) {
        await sessions.set(Cart, { items: 5 })
        await sessions.clear(Cart)
        return 'nothing'
      },
    },
    '/prefs/set': {
      async handler({ sessions }) {
        await sessions.set(Prefs, { theme: 'dark' })
        return 'set'
      },
    },
    '/prefs/get': { handler: ({ sessions }) => sessions.get(Prefs) },
    '/encoded/set': {
      async handler({ sessions }) {
        await sessions.set(Encoded, { n: 11 })
        return 'set'
      },
    },
    '/encoded/get': { handler: ({ sessions }) => sessions.get(Encoded) },
    '/long/set': {
      async handler({ sessions }) {
        await sessions.set(Long, { n: 1 })
        return 'set'
      },
    },
    '/browser/set': {
      async handler({ sessions }) {
        await sessions.set(Browser, { n: 1 })
        return 'set'
      },
    },
    '/strict/set': {
      async handler({ sessions }) {
        await sessions.set(Strict, { n: 1 })
        return 'set'
      },
    },
    '/two/set': {
      async handler({ sessions }) {
        await sessions.set(Cart, { items: 2 })
        await sessions.set(Prefs, { theme: 'light' })
        return 'set'
      },
    },
    '/two/get': {
      handler: async ({ sessions }) => ({ cart: await sessions.get(Cart), prefs: await sessions.get(Prefs) }),
    },
    '/pipe/set': {
      async handler({ sessions }) {
        await sessions.set(Pipe, { a: 'left', b: 'right' })
        return 'set'
      },
    },
    '/pipe/get': { handler: ({ sessions }) => sessions.get(Pipe) },
    '/device/set': {
      async handler({ sessions }) {
        await sessions.set(Device, { model: 'pixel' })
        return sessions.id(Device)
      },
    },
    '/device/get': { handler: ({ sessions }) => sessions.get(Device) },
    '/token/set': {
      async handler({ sessions }) {
        await sessions.set(Token, { plan: 'pro' })
        return 'set'
      },
    },
    '/token/get': { handler: ({ sessions }) => sessions.get(Token) },
    '/token/clear': {
      async handler({ sessions }) {
        await sessions.clear(Token)
        return 'cleared'
      },
    },
    '/stored/set': {
      async handler({ sessions }) {
        await sessions.set(Stored, { secret: 'value-that-must-not-leak' })
        return sessions.id(Stored)
      },
    },
    '/stored/get': { handler: ({ sessions }) => sessions.get(Stored) },
    '/late': {
      handler: async () => 'early',
      async after(sessions) {
        try {
          await sessions.set(Cart, { items: 9 })
          probe.late.resolve('no error')
        } catch (error) {
          probe.late.resolve(isSessionError(error) ? error.code : String(error))
        }
      },
    },
    '/login': {
      async handler({ sessions, query }) {
        await sessions.set(Login, { userId: 'u1', active: query.get('active') !== 'no' })
        return 'in'
      },
    },
    '/me': {
      requires: { descriptor: Login, options: { validate: (login) => login.active } },
      handler: ({ sessions }) => sessions.get(Login),
    },
    '/whoami': {
      requires: {
        descriptor: Login,
        options: {
          validate: (login) => (login.active ? { user: login.userId, role: 'member' } : null),
          challenge: ({ reason }) => ({
            status: 403,
            body: { error: 'FORBIDDEN', reason },
            headers: { 'www-authenticate': 'Session realm="app"' },
          }),
        },
      },
      handler: async ({ principal }) => principal,
    },
    '/teapot': {
      requires: { descriptor: Login, options: { challenge: { status: 418, body: 'log in first' } } },
      handler: async ({ principal }) => principal,
    },
    '/account': {
      requires: { descriptor: Login, options: { redirect: '/login-page' } },
      handler: async () => 'account',
    },
  }
}

const pairs = (reply: Reply) => reply.setCookies.map((line) => parseSetCookie(line).pair)

/**
 * Ktor's own sessions tests and tessera's transport rules, end to end over real HTTP on 127.0.0.1,
 * for one adapter.
 */
export function sessionSuite(name: string, start: StartServer): void {
  describe(`${name}: sessions over real HTTP`, () => {
    const probe: Probe = { late: deferred() }
    let suite: SuiteEngine
    let server: Harness
    let url: string

    beforeAll(async () => {
      suite = createSuiteEngine()
      server = await start(suite.engine, routes(probe), { trustProxy: true })
      url = server.url
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    })
    afterAll(() => server?.close())

    it('sends no Set-Cookie for a session that was not touched, or only read', async () => {
      const set = await get(url, '/cart/set?n=3')
      const cart = cookieNamed(set, 'cart')
      const untouched = await get(url, '/noop', { cookies: [cart.pair] })
      expect(untouched.status).toBe(200)
      expect(untouched.setCookies).toEqual([])
      const read = await get(url, '/cart/get', { cookies: [cart.pair] })
      expect(read.result).toEqual({ items: 3 })
      expect(read.setCookies).toEqual([])
      const none = await get(url, '/cart/get')
      expect(none.result).toBeNull()
      expect(none.setCookies).toEqual([])
    })

    it('round-trips a value with domain, max age and Expires', async () => {
      const before = Date.now()
      const set = await get(url, '/prefs/set')
      const prefs = cookieNamed(set, 'prefs')
      expect(prefs.value).toMatch(/^v1\.x\./)
      expect(prefs.attributes.get('domain')).toBe('example.test')
      expect(prefs.attributes.get('path')).toBe('/')
      expect(prefs.attributes.get('max-age')).toBe('7200')
      expect(prefs.attributes.get('httponly')).toBe(true)
      expect(prefs.attributes.get('samesite')).toBe('Lax')
      const expires = Date.parse(String(prefs.attributes.get('expires')))
      expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7_200_000 - 1000)
      expect(expires).toBeLessThanOrEqual(Date.now() + 7_200_000 + 1000)
      const read = await get(url, '/prefs/get', { cookies: [prefs.pair] })
      expect(read.result).toEqual({ theme: 'dark' })
    })

    it('reads an invalid or tampered value as absent and clears its cookie with the same attributes', async () => {
      const good = cookieNamed(await get(url, '/prefs/set'), 'prefs')
      const last = good.value.at(-1) === 'A' ? 'B' : 'A'
      for (const value of ['garbage', 'abc/abc:abc', `${good.value.slice(0, -1)}${last}`]) {
        const read = await get(url, '/prefs/get', { cookies: [`prefs=${value}`] })
        expect(read.status).toBe(200)
        expect(read.result).toBeNull()
        const cleared = cookieNamed(read, 'prefs')
        expect(cleared.value).toBe('')
        expect(cleared.attributes.get('max-age')).toBe('0')
        expect(cleared.attributes.get('expires')).toBe(EPOCH)
        expect(cleared.attributes.get('domain')).toBe('example.test')
        expect(cleared.attributes.get('path')).toBe('/')
      }
    })

    it('round-trips a base64url-encoded cookie', async () => {
      const encoded = cookieNamed(await get(url, '/encoded/set'), 'encoded')
      expect(encoded.value).not.toContain('.')
      expect(Buffer.from(encoded.value, 'base64url').toString('utf8')).toMatch(/^v1\.x\./)
      expect((await get(url, '/encoded/get', { cookies: [encoded.pair] })).result).toEqual({ n: 11 })
    })

    it('reads an id that the storage no longer holds as absent, clears it, and gives the next set a new id', async () => {
      const set = await get(url, '/stored/set')
      const oldId = set.result as string
      const stored = cookieNamed(set, 'stored')
      await suite.engine.invalidate(Stored, oldId)
      const read = await get(url, '/stored/get', { cookies: [stored.pair] })
      expect(read.result).toBeNull()
      expect(cookieNamed(read, 'stored').attributes.get('max-age')).toBe('0')
      const again = await get(url, '/stored/set', { cookies: [stored.pair] })
      expect(again.result).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(again.result).not.toBe(oldId)
    })

    it('caps a very long max age at 2^31 - 1 seconds', async () => {
      const long = cookieNamed(await get(url, '/long/set'), 'long')
      expect(long.attributes.get('max-age')).toBe(String(2 ** 31 - 1))
      expect(Number.isNaN(Date.parse(String(long.attributes.get('expires'))))).toBe(false)
    })

    it('refuses to register a session twice, by descriptor or by name', () => {
      expect(() => createSessions({ secret: SECRET, sessions: [cookie(Cart), cookie(Cart)] })).toThrow(
        expect.objectContaining({ code: 'DUPLICATE' }),
      )
      expect(() => createSessions({ secret: SECRET, sessions: [Prefs, { ...Prefs }] })).toThrow(
        expect.objectContaining({ code: 'DUPLICATE' }),
      )
    })

    it('gives maxAge null a browser-session cookie: neither Max-Age nor Expires', async () => {
      const browser = cookieNamed(await get(url, '/browser/set'), 'browser')
      expect(browser.attributes.has('max-age')).toBe(false)
      expect(browser.attributes.has('expires')).toBe(false)
      expect(browser.attributes.get('path')).toBe('/')
    })

    it('writes and reads two sessions in one request', async () => {
      const set = await get(url, '/two/set')
      expect(set.setCookies).toHaveLength(2)
      const read = await get(url, '/two/get', { cookies: pairs(set) })
      expect(read.result).toEqual({ cart: { items: 2 }, prefs: { theme: 'light' } })
      expect(read.setCookies).toEqual([])
    })

    it('refuses set after the response started with RESPONSE_COMMITTED', async () => {
      probe.late = deferred()
      const reply = await get(url, '/late')
      expect(reply.result).toBe('early')
      expect(reply.setCookies).toEqual([])
      expect(await probe.late.promise).toBe('RESPONSE_COMMITTED')
    })

    it('writes a secure cookie with SameSite and path as configured', async () => {
      const strict = cookieNamed(await get(url, '/strict/set'), '__Secure-strict')
      expect(strict.attributes.get('secure')).toBe(true)
      expect(strict.attributes.get('samesite')).toBe('Strict')
      expect(strict.attributes.get('path')).toBe('/app')
      expect(strict.attributes.get('httponly')).toBe(true)
    })

    it('uses a custom codec (serializer) for what travels', async () => {
      const pipe = cookieNamed(await get(url, '/pipe/set'), 'pipe')
      const body = pipe.value.split('.')[5]!
      expect(Buffer.from(body, 'base64url').toString('utf8')).toBe('left|right')
      const read = await get(url, '/pipe/get', { cookies: [pipe.pair] })
      expect(read.result).toEqual({ a: 'left', b: 'right' })
    })

    it('makes a new id with a custom identity that reads the request', async () => {
      const set = await get(url, '/device/set', { headers: { 'x-device': 'abc12345' } })
      expect(set.result).toBe('device-abc12345')
      const token = set.headers.get('device')
      expect(token).toMatch(/^v1\.s\./)
      const read = await get(url, '/device/get', { headers: { device: token! } })
      expect(read.result).toEqual({ model: 'pixel' })
    })

    it('skips writing a value equal to the one read', async () => {
      const first = cookieNamed(await get(url, '/cart/set?n=4'), 'cart')
      const same = await get(url, '/cart/set?n=4', { cookies: [first.pair] })
      expect(same.setCookies).toEqual([])
      const changed = await get(url, '/cart/set?n=5', { cookies: [first.pair] })
      expect(cookieNamed(changed, 'cart').value).not.toBe(first.value)
    })

    it('writes nothing for set then clear in one request, and clears an incoming cookie', async () => {
      expect((await get(url, '/cart/set-clear')).setCookies).toEqual([])
      const cart = cookieNamed(await get(url, '/cart/set?n=6'), 'cart')
      const cleared = cookieNamed(await get(url, '/cart/clear', { cookies: [cart.pair] }), 'cart')
      expect(cleared.value).toBe('')
      expect(cleared.attributes.get('max-age')).toBe('0')
      expect(cleared.attributes.get('expires')).toBe(EPOCH)
    })

    it('sets, carries and clears a header session, exposing it to cross-origin callers', async () => {
      const set = await get(url, '/token/set')
      const token = set.headers.get('token')
      expect(token).toMatch(/^v1\.x\./)
      expect(set.setCookies).toEqual([])
      expect(set.headers.get('access-control-expose-headers')).toBeNull()
      const read = await get(url, '/token/get', { headers: { token: token! } })
      expect(read.result).toEqual({ plan: 'pro' })
      expect(read.headers.get('token')).toBeNull()
      const cleared = await get(url, '/token/clear', {
        headers: { token: token!, origin: 'http://spa.example' },
      })
      expect(cleared.headers.get('token')).toBe(HEADER_CLEARED)
      expect(cleared.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain('token')
      const again = await get(url, '/token/get', { headers: { token: HEADER_CLEARED } })
      expect(again.result).toBeNull()
    })

    it('adds Secure when X-Forwarded-Proto says https and the proxy is trusted', async () => {
      const forwarded = cookieNamed(
        await get(url, '/cart/set?n=7', { headers: { 'x-forwarded-proto': 'https' } }),
        'cart',
      )
      expect(forwarded.attributes.get('secure')).toBe(true)
      const plain = cookieNamed(await get(url, '/cart/set?n=7'), 'cart')
      expect(plain.attributes.has('secure')).toBe(false)
    })

    it('ignores X-Forwarded-Proto when the proxy is not trusted', async () => {
      const untrusted = await start(suite.engine, routes(probe), { trustProxy: false })
      try {
        const reply = await get(untrusted.url, '/cart/set?n=8', { headers: { 'x-forwarded-proto': 'https' } })
        expect(cookieNamed(reply, 'cart').attributes.has('secure')).toBe(false)
      } finally {
        await untrusted.close()
      }
    })

    it('answers 503 through the status table when the storage is down, with no id in the body', async () => {
      const set = await get(url, '/stored/set')
      const id = set.result as string
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
      const stored = cookieNamed(set, 'stored')
      suite.storage.down = true
      try {
        const reply = await get(url, '/stored/get', { cookies: [stored.pair] })
        expect(reply.status).toBe(503)
        expect(reply.text).toContain('STORAGE_UNAVAILABLE')
        expect(reply.text).not.toContain(id)
        expect(reply.text).not.toContain(stored.value)
        expect(reply.text).not.toContain('value-that-must-not-leak')
        expect(reply.text).not.toContain('ECONNREFUSED')
      } finally {
        suite.storage.down = false
      }
      expect((await get(url, '/stored/get', { cookies: [stored.pair] })).result).toEqual({
        secret: 'value-that-must-not-leak',
      })
    })

    it('answers a session error with its status and a body that names no session (#13, 12)', async () => {
      const invalid = await get(url, '/cart/set-null')
      expect(invalid.status).toBe(500)
      expect(invalid.headers.get('content-type')).toMatch(/^application\/json/)
      expect(invalid.text).toBe('{"error":"SESSION_ERROR"}')
      const stored = cookieNamed(await get(url, '/stored/set'), 'stored')
      suite.storage.down = true
      try {
        const down = await get(url, '/stored/get', { cookies: [stored.pair] })
        expect(down.status).toBe(503)
        expect(down.text).toBe('{"error":"STORAGE_UNAVAILABLE"}')
      } finally {
        suite.storage.down = false
      }
    })

    it('requires a valid session: 401 without one or when validate refuses, through with one', async () => {
      const anonymous = await get(url, '/me')
      expect(anonymous.status).toBe(401)
      expect(JSON.parse(anonymous.text)).toEqual({ error: 'UNAUTHENTICATED' })
      const inactive = cookieNamed(await get(url, '/login?active=no'), 'login')
      expect((await get(url, '/me', { cookies: [inactive.pair] })).status).toBe(401)
      const active = cookieNamed(await get(url, '/login'), 'login')
      const me = await get(url, '/me', { cookies: [active.pair] })
      expect(me.status).toBe(200)
      expect(me.result).toEqual({ userId: 'u1', active: true })
      expect((await get(url, '/me', { cookies: ['login=forged'] })).status).toBe(401)
    })

    it("gives the handler the principal validate returned, and answers with the app's challenge", async () => {
      const anonymous = await get(url, '/whoami')
      expect(anonymous.status).toBe(403)
      expect(anonymous.headers.get('www-authenticate')).toBe('Session realm="app"')
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/)
      expect(JSON.parse(anonymous.text)).toEqual({ error: 'FORBIDDEN', reason: 'missing' })
      const inactive = cookieNamed(await get(url, '/login?active=no'), 'login')
      const rejected = await get(url, '/whoami', { cookies: [inactive.pair] })
      expect(rejected.status).toBe(403)
      expect(JSON.parse(rejected.text)).toEqual({ error: 'FORBIDDEN', reason: 'rejected' })
      const active = cookieNamed(await get(url, '/login'), 'login')
      const through = await get(url, '/whoami', { cookies: [active.pair] })
      expect(through.status).toBe(200)
      expect(through.result).toEqual({ user: 'u1', role: 'member' })
      const teapot = await get(url, '/teapot')
      expect(teapot.status).toBe(418)
      expect(teapot.headers.get('content-type')).toMatch(/^text\/plain/)
      expect(teapot.text).toBe('log in first')
      // Without validate, the principal is the session's value.
      expect((await get(url, '/teapot', { cookies: [active.pair] })).result).toEqual({
        userId: 'u1',
        active: true,
      })
    })

    it('redirects to the login page when asked to', async () => {
      const reply = await get(url, '/account')
      expect(reply.status).toBe(302)
      expect(reply.headers.get('location')).toBe('/login-page')
      const login = cookieNamed(await get(url, '/login'), 'login')
      const through = await get(url, '/account', { cookies: [login.pair] })
      expect(through.status).toBe(200)
      expect(through.result).toBe('account')
    })
  })
}
