import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSessionEngine, webCrypto } from '@tessera/core'
import { beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { cookie, defineSession, header, isSessionError } from '../src'
import { readSessions, requireSession, sessionsOf, withSessions, writeSessions } from '../src/next'
import { nextCookieOf } from '../src/next/set-cookie-options'
import { Cart, SECRET } from './adapters/sessions'

/** What next/headers hands the code of one request, replaced per test. */
const request = vi.hoisted(() => ({
  headers: new Headers(),
  set: [] as unknown[],
  refuse: false,
}))

vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  cookies: async () => ({
    set(cookie: unknown) {
      // What Next's read-only cookies do while a Server Component renders.
      if (request.refuse) throw new Error('Cookies can only be modified in a Server Action or Route Handler.')
      request.set.push(cookie)
    },
  }),
}))

const Token = defineSession<{ plan: string }>()('token', { transport: 'header' })
// The engine middleware uses on the edge runtime: core's, on WebCrypto.
const engine = createSessionEngine({
  secret: SECRET,
  crypto: webCrypto,
  sessions: [cookie(Cart), header(Token)],
})

beforeEach(() => {
  request.headers = new Headers({ 'x-forwarded-proto': 'http' })
  request.set = []
  request.refuse = false
})

/** A Cookie header with a cart of `items`, as a Server Action wrote it. */
async function cartCookie(items: number): Promise<string> {
  await writeSessions(engine, (sessions) => sessions.set(Cart, { items }))
  const written = request.set.pop() as { name: string; value: string }
  return `${written.name}=${written.value}`
}

describe('@tessera/node/next writeSessions (Server Actions, Route Handlers)', () => {
  it('writes what the function set through cookies().set, with the configured attributes', async () => {
    const result = await writeSessions(engine, async (sessions) => {
      await sessions.set(Cart, { items: 2 })
      return 'done'
    })
    expect(result).toBe('done')
    expect(request.set).toEqual([
      expect.objectContaining({ name: 'cart', path: '/', httpOnly: true, sameSite: 'lax' }),
    ])
    // Seven days, less the second that may have turned between signing and writing.
    expect((request.set[0] as { maxAge: number }).maxAge).toBeGreaterThanOrEqual(604_799)
    expect((request.set[0] as { secure?: boolean }).secure).toBeUndefined()
  })

  it('adds Secure when Next says the request came over https', async () => {
    request.headers = new Headers({ 'x-forwarded-proto': 'https' })
    await writeSessions(engine, (sessions) => sessions.set(Cart, { items: 1 }))
    expect(request.set[0]).toEqual(expect.objectContaining({ secure: true }))
  })

  it('reads the cookie the request carries and clears it', async () => {
    request.headers = new Headers({ cookie: await cartCookie(4) })
    const read = await writeSessions(engine, async (sessions) => {
      const cart = await sessions.get(Cart)
      await sessions.clear(Cart)
      return cart
    })
    expect(read).toEqual({ items: 4 })
    expect(request.set).toEqual([expect.objectContaining({ name: 'cart', value: '', maxAge: 0 })])
  })

  it('is a SessionError where Next refuses cookies (a Server Component), never a silent no-op', async () => {
    request.refuse = true
    const error = await writeSessions(engine, (sessions) => sessions.set(Cart, { items: 1 })).catch((e) => e)
    expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
    expect((error as Error).message).toMatch(/Server Action or a Route Handler/)
  })

  it('refuses a header session, which cookies() cannot carry', async () => {
    const error = await writeSessions(engine, (sessions) => sessions.set(Token, { plan: 'pro' })).catch(
      (e) => e,
    )
    expect(isSessionError(error, 'UNSUPPORTED')).toBe(true)
    expect(request.set).toEqual([])
  })
})

describe('@tessera/node/next readSessions (Server Components)', () => {
  it('reads a valid session, and a tampered one as null', async () => {
    const valid = await cartCookie(3)
    request.headers = new Headers({ cookie: valid })
    const sessions = await readSessions(engine)
    const cart = await sessions.get(Cart)
    expectTypeOf(cart).toEqualTypeOf<{ items: number } | null>()
    expect(cart).toEqual({ items: 3 })

    request.headers = new Headers({ cookie: `${valid.slice(0, -2)}xx` })
    expect(await (await readSessions(engine)).get(Cart)).toBeNull()
  })

  it('has no writes in its type, and each write throws a SessionError at run time', async () => {
    const sessions = await readSessions(engine)
    // @ts-expect-error a Server Component cannot write
    const write = () => sessions.set(Cart, { items: 1 })
    expect(write).toThrow(expect.objectContaining({ name: 'SessionError', code: 'INVALID_OPERATION' }))
    for (const method of ['clear', 'update', 'take', 'getOrSet', 'regenerate', 'commit']) {
      const call = () => (sessions as unknown as Record<string, () => void>)[method]!()
      expect(call, method).toThrow(/a Server Component cannot set cookies/)
    }
    expect(request.set).toEqual([])
  })
})

describe('@tessera/node/next requireSession (middleware)', () => {
  it('redirects to an absolute URL, as Next requires of middleware, and lets a session through', async () => {
    const requireCart = requireSession(Cart, { redirect: '/login?next=cart' })
    const middleware = withSessions(
      engine,
      async (req: Request) => (await requireCart(req)) ?? new Response('next'),
    )
    const denied = await middleware(new Request('http://127.0.0.1:3000/account'))
    expect(denied.status).toBe(302)
    expect(denied.headers.get('location')).toBe('http://127.0.0.1:3000/login?next=cart')

    const passed = await middleware(
      new Request('http://127.0.0.1:3000/account', { headers: { cookie: await cartCookie(1) } }),
    )
    expect(await passed.text()).toBe('next')
  })
})

describe('@tessera/node/next withSessions (middleware renews)', () => {
  it('re-issues a session read past half its idle time on the NextResponse.next() it returns', async () => {
    const Visit = defineSession<{ n: number }>()('visit', { expiry: { idle: '1h', absolute: null } })
    let clock = Date.UTC(2026, 0, 1)
    const rolling = createSessionEngine({
      secret: SECRET,
      crypto: webCrypto,
      now: () => clock,
      sessions: [cookie(Visit)],
    })
    await writeSessions(rolling, (sessions) => sessions.set(Visit, { n: 1 }))
    const first = request.set.pop() as { name: string; value: string }
    const middleware = withSessions(rolling, async (req: Request) => {
      await sessionsOf(req).get(Visit)
      return new Response(null, { headers: { 'x-middleware-next': '1' } })
    })
    const visit = () =>
      middleware(new Request('http://127.0.0.1/account', { headers: { cookie: `visit=${first.value}` } }))

    clock += 10 * 60_000 // 10 minutes: not due
    expect((await visit()).headers.getSetCookie()).toEqual([])
    clock += 30 * 60_000 // 40 minutes: past half of the hour
    const renewed = (await visit()).headers.getSetCookie()
    expect(renewed).toHaveLength(1)
    expect(renewed[0]).toMatch(/^visit=v1\.[^;]+; Max-Age=3600;/)
    expect(renewed[0]).not.toContain(first.value)
  })
})

describe('the Set-Cookie line as the options of cookies().set', () => {
  it('reads every attribute the engine writes', () => {
    const cookie = nextCookieOf(
      'a=v1.x.abc; Max-Age=60; Expires=Thu, 01 Jan 2026 00:01:00 GMT; Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=Strict; Partitioned; Priority=High',
    )
    expect(cookie).toEqual({
      name: 'a',
      value: 'v1.x.abc',
      maxAge: 60,
      expires: new Date('2026-01-01T00:01:00Z'),
      domain: 'example.com',
      path: '/app',
      secure: true,
      httpOnly: true,
      sameSite: 'strict',
      partitioned: true,
      priority: 'high',
    })
  })

  it('decodes a percent-encoded value (Next encodes it again) and refuses an attribute Next cannot set', () => {
    expect(nextCookieOf('a=x%2Fy; Path=/').value).toBe('x/y')
    expect(() => nextCookieOf('a=x; Path=/; Custom=1')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED' }),
    )
  })
})

describe('@tessera/node/next entry', () => {
  it('exports these names', async () => {
    expect(Object.keys(await import('../src/next')).sort()).toEqual([
      'readSessions',
      'requireSession',
      'sessionsOf',
      'withSessions',
      'writeSessions',
    ])
  })

  it('imports no node:* module, however deep (middleware runs it on the edge runtime)', () => {
    const seen = new Set<string>()
    const found: string[] = []
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const source = readFileSync(file, 'utf8')
      for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        if (specifier!.startsWith('node:') || specifier === 'crypto') found.push(`${file}: ${specifier}`)
        if (specifier!.startsWith('.'))
          visit(
            `${resolve(dirname(file), specifier!)}${specifier!.endsWith('.ts') ? '' : '.ts'}`.replace(
              /\/\.ts$/,
              '/index.ts',
            ),
          )
      }
    }
    visit(fileURLToPath(new URL('../src/next/index.ts', import.meta.url)))
    expect(seen.size).toBeGreaterThan(5)
    expect(found).toEqual([])
  })
})
