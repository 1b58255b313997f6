import { redirect, data as routeData } from 'react-router'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { cookie, createSessions, isSessionError } from '../src'
import { sessionsOf, withSessions } from '../src/react-router'
import { Cart, SECRET } from './adapters/sessions'

const engine = createSessions({ secret: SECRET, sessions: [cookie(Cart)] })

/** What React Router hands a loader or action. */
function routeArgs(cookieHeader?: string) {
  const headers = new Headers(cookieHeader ? { cookie: cookieHeader } : {})
  return { request: new Request('http://127.0.0.1/cart', { headers }), params: {}, context: {} }
}

/** The `name=value` pair of a Set-Cookie line. */
const pairOf = (line: string) => line.slice(0, line.indexOf(';'))

type Init = { init: ResponseInit | null; data: unknown }
const setCookies = (result: Init) => new Headers(result.init?.headers).getSetCookie()

/** A Cookie header carrying a valid cart of `items`, as an earlier action wrote it. */
async function signedCart(items: number): Promise<string> {
  const write = withSessions(engine, async ({ request }: { request: Request }) => {
    await sessionsOf(request).set(Cart, { items })
    return null
  })
  return pairOf(setCookies(await write(routeArgs()))[0]!)
}

describe('@tessera/node/react-router withSessions', () => {
  it('writes a plain value returned by a loader as data() with the Set-Cookie lines', async () => {
    const loader = withSessions(engine, async ({ request }: { request: Request }) => {
      await sessionsOf(request).set(Cart, { items: 3 })
      return { saved: true }
    })
    const result = await loader(routeArgs())
    expect(result.data).toEqual({ saved: true })
    expect(setCookies(result)).toHaveLength(1)
    expect(setCookies(result)[0]).toMatch(/^cart=.+; Path=\/; .*HttpOnly/)
    expectTypeOf(result.data).toEqualTypeOf<{ saved: boolean }>()
  })

  it('reads the session the request carries, as the same descriptor types it', async () => {
    const read = withSessions(engine, async ({ request }: { request: Request }) => {
      const cart = await sessionsOf(request).get(Cart)
      expectTypeOf(cart).toEqualTypeOf<{ items: number } | null>()
      return { cart }
    })
    const result = await read(routeArgs(await signedCart(5)))
    expect(result.data).toEqual({ cart: { items: 5 } })
    expect(setCookies(result)).toEqual([])
  })

  it('keeps the status and headers of data(value, init) and adds the cookie', async () => {
    const action = withSessions(engine, async ({ request }: { request: Request }) => {
      await sessionsOf(request).set(Cart, { items: 1 })
      return routeData({ ok: true }, { status: 201, headers: { 'x-kept': 'yes' } })
    })
    const result = await action(routeArgs())
    expect(result.init?.status).toBe(201)
    expect(new Headers(result.init?.headers).get('x-kept')).toBe('yes')
    expect(setCookies(result)).toHaveLength(1)
    expectTypeOf(result.data).toEqualTypeOf<{ ok: boolean }>()
  })

  it('writes on a returned redirect, and on a thrown one', async () => {
    const returned = withSessions(engine, async ({ request }: { request: Request }) => {
      await sessionsOf(request).set(Cart, { items: 2 })
      return redirect('/done')
    })
    const response = await returned(routeArgs())
    expect(response.status).toBe(302)
    expect(response.headers.getSetCookie()).toHaveLength(1)

    const thrown = withSessions(engine, async ({ request }: { request: Request }) => {
      await sessionsOf(request).clear(Cart)
      throw redirect('/login')
    })
    const cartCookie = await signedCart(9)
    const caught = await thrown(routeArgs(cartCookie)).catch((error: unknown) => error)
    expect(caught).toBeInstanceOf(Response)
    expect((caught as Response).headers.get('location')).toBe('/login')
    expect((caught as Response).headers.getSetCookie()[0]).toMatch(/^cart=; .*Max-Age=0/)
  })

  it('clears a tampered cookie and reads it as absent', async () => {
    const loader = withSessions(engine, async ({ request }: { request: Request }) => ({
      cart: await sessionsOf(request).get(Cart),
    }))
    const result = await loader(routeArgs('cart=v1.s.tampered'))
    expect(result.data).toEqual({ cart: null })
    expect(setCookies(result)[0]).toMatch(/^cart=; .*Max-Age=0/)
  })

  it('refuses sessionsOf for a request that did not come through withSessions, and writes after return', async () => {
    const stray = new Request('http://127.0.0.1/')
    expect(() => sessionsOf(stray)).toThrow(expect.objectContaining({ code: 'INVALID_OPERATION' }))
    let kept: Request | undefined
    const loader = withSessions(engine, ({ request }: { request: Request }) => {
      kept = request
      return null
    })
    await loader(routeArgs())
    const late = await sessionsOf(kept!)
      .set(Cart, { items: 1 })
      .catch((error: unknown) => error)
    expect(isSessionError(late, 'RESPONSE_COMMITTED')).toBe(true)
  })
})

describe('@tessera/node/react-router entry', () => {
  it('exports these names', async () => {
    expect(Object.keys(await import('../src/react-router')).sort()).toEqual(['sessionsOf', 'withSessions'])
  })
})
