import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { cookie, createSessions, header } from '../src'
import { requireSession, respondToSessionError, sessionsOf, withSessions } from '../src/fetch'
import { cookieNamed, get } from './adapters/client'
import { serveFetch } from './adapters/fetch-server'
import { sessionSuite } from './adapters/session-suite'
import type { RouteSpec, StartServer } from './adapters/sessions'
import { Cart, Prefs, SECRET, Token } from './adapters/sessions'

const json = (result: unknown) => Response.json({ result })

/** Runs `after` once the wrapped handler has returned and the response is committed. */
function later(spec: RouteSpec, request: Request): void {
  const { after } = spec
  if (after) setTimeout(() => void after(sessionsOf(request)), 5)
}

const plainServer: StartServer = (engine, routes, { trustProxy }) => {
  const guards = new Map(
    Object.entries(routes).flatMap(([path, spec]) =>
      spec.requires ? [[path, requireSession(spec.requires.descriptor, spec.requires.options)] as const] : [],
    ),
  )
  return serveFetch(
    withSessions(
      engine,
      async (request) => {
        const url = new URL(request.url)
        const spec = routes[url.pathname]
        if (!spec) return new Response(null, { status: 404 })
        const guard = guards.get(url.pathname)
        const denied = await guard?.(request)
        if (denied) return denied
        const principal = guard?.principal(request)
        const result = await spec.handler({
          sessions: sessionsOf(request),
          query: url.searchParams,
          principal,
        })
        later(spec, request)
        return json(result)
      },
      { trustProxy },
    ),
  )
}

const honoServer: StartServer = (engine, routes, { trustProxy }) => {
  const app = new Hono()
  app.onError((error, c) => respondToSessionError(error) ?? c.text('Internal Server Error', 500))
  for (const [path, spec] of Object.entries(routes)) {
    const guard = spec.requires && requireSession(spec.requires.descriptor, spec.requires.options)
    app.get(path, async (c) => {
      const denied = await guard?.(c.req.raw)
      if (denied) return denied
      const result = await spec.handler({
        sessions: sessionsOf(c.req.raw),
        query: new URL(c.req.url).searchParams,
        principal: guard?.principal(c.req.raw),
      })
      later(spec, c.req.raw)
      return c.json({ result })
    })
  }
  return serveFetch(withSessions(engine, app.fetch, { trustProxy }))
}

sessionSuite('fetch handler', plainServer)
sessionSuite('hono', honoServer)

describe('fetch adapter details', () => {
  const engine = createSessions({ secret: SECRET, sessions: [cookie(Cart), header(Token)] })

  it('writes into a copy when the response headers are immutable', async () => {
    const handler = withSessions(engine, async (request) => {
      await sessionsOf(request).set(Cart, { items: 1 })
      await sessionsOf(request).set(Token, { plan: 'free' })
      return Response.redirect('http://127.0.0.1/next', 303)
    })
    const response = await handler(new Request('http://127.0.0.1/go'))
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('http://127.0.0.1/next')
    expect(response.headers.getSetCookie()).toHaveLength(1)
    expect(response.headers.get('token')).toMatch(/^v1\.x\./)
  })

  it('answers session errors with the table and rethrows the others', async () => {
    const failing = withSessions(engine, async (request) => {
      if (request.url.endsWith('/boom')) throw new Error('app failure')
      await sessionsOf(request).set(Prefs, { theme: 'unregistered' })
      return json('unreachable')
    })
    const answer = await failing(new Request('http://127.0.0.1/set'))
    expect(answer.status).toBe(500)
    expect(await answer.json()).toEqual({ error: 'SESSION_ERROR' })
    await expect(failing(new Request('http://127.0.0.1/boom'))).rejects.toThrow('app failure')
  })

  it('marks cookies Secure for https request URLs, and keeps the extra arguments of the handler', async () => {
    const handler = withSessions(engine, async (request: Request, context: { params: { id: string } }) => {
      await sessionsOf(request).set(Cart, { items: Number(context.params.id) })
      return json(context.params.id)
    })
    const response = await handler(new Request('https://shop.example/cart'), { params: { id: '3' } })
    expect(await response.json()).toEqual({ result: '3' })
    expect(response.headers.getSetCookie()[0]).toMatch(/; Secure$/)
  })

  it('refuses sessionsOf for a request that did not come through withSessions', () => {
    expect(() => sessionsOf(new Request('http://127.0.0.1/'))).toThrow(
      expect.objectContaining({ code: 'INVALID_OPERATION' }),
    )
  })

  it('scopes sessions to a Hono sub-app mounted through withSessions', async () => {
    const scoped = new Hono()
    scoped.get('/set', async (c) => {
      await sessionsOf(c.req.raw).set(Cart, { items: 4 })
      return c.json({ result: 'set' })
    })
    const app = new Hono()
    app.mount('/scoped', withSessions(engine, scoped.fetch))
    app.get('/outside', (c) => {
      try {
        sessionsOf(c.req.raw)
        return c.json({ result: 'sessions' })
      } catch {
        return c.json({ result: 'no sessions' })
      }
    })
    const server = await serveFetch(async (request) => app.fetch(request))
    try {
      expect(cookieNamed(await get(server.url, '/scoped/set'), 'cart').value).toMatch(/^v1\.x\./)
      const outside = await get(server.url, '/outside')
      expect(outside.result).toBe('no sessions')
      expect(outside.setCookies).toEqual([])
    } finally {
      await server.close()
    }
  })
})
