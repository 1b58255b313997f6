import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { cookie, createSessions, isSessionError, SessionError } from '../src'
import { fastifySessions, requireSession } from '../src/fastify'
import { cookieNamed, get } from './adapters/client'
import { fastifyServer, start } from './adapters/fastify-server'
import { sessionSuite } from './adapters/session-suite'
import { Cart, Prefs, SECRET } from './adapters/sessions'

sessionSuite('fastify 5', fastifyServer)

describe('fastify 5: encapsulation', () => {
  const outer = createSessions({ secret: SECRET, sessions: [cookie(Cart)] })
  const inner = createSessions({ secret: SECRET, sessions: [cookie(Prefs)] })

  it('serves only the routes of the scope that registers it', async () => {
    const app = Fastify()
    await app.register(async (scope) => {
      await scope.register(fastifySessions(inner))
      scope.get('/scoped/set', async (request) => {
        await request.sessions.set(Prefs, { theme: 'dark' })
        return { result: 'set' }
      })
    })
    app.get('/outside', async (request) => ({
      result: request.sessions == null ? 'no sessions' : 'sessions',
    }))
    const server = await start(app)
    try {
      const set = await get(server.url, '/scoped/set')
      expect(cookieNamed(set, 'prefs').value).toMatch(/^v1\.x\./)
      const outside = await get(server.url, '/outside')
      expect(outside.result).toBe('no sessions')
      expect(outside.setCookies).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('commits the sessions of both engines when a scope registers its own inside the root one', async () => {
    const app = Fastify()
    await app.register(fastifySessions(outer))
    await app.register(async (scope) => {
      scope.addHook('onRequest', async (request) => {
        await request.sessions.set(Cart, { items: 2 })
      })
      await scope.register(fastifySessions(outer)) // the same engine again: a no-op
      await scope.register(fastifySessions(inner))
      scope.get('/scoped/both', async (request) => {
        await request.sessions.set(Prefs, { theme: 'light' })
        return { result: 'set' }
      })
    })
    app.get('/cart', async (request) => {
      await request.sessions.set(Cart, { items: 1 })
      return { result: 'set' }
    })
    const server = await start(app)
    try {
      const both = await get(server.url, '/scoped/both')
      expect(both.setCookies.map((line) => line.split('=')[0]).sort()).toEqual(['cart', 'prefs'])
      const cart = await get(server.url, '/cart')
      expect(cart.setCookies.map((line) => line.split('=')[0])).toEqual(['cart'])
    } finally {
      await server.close()
    }
  })

  it('leaves other errors and the app error handler alone, and guards with requireSession', async () => {
    const app = Fastify()
    await app.register(fastifySessions(outer))
    const seen: unknown[] = []
    app.setErrorHandler((error, _request, reply) => {
      seen.push(error)
      // Session errors go on to Fastify's default handler (reply.send of an error does that).
      if (isSessionError(error) && error.code === 'INVALID_VALUE') return reply.send(error)
      reply.status(reply.statusCode === 503 ? 503 : 418).send({ result: (error as Error).message })
    })
    app.get('/boom', async () => {
      throw new Error('app failure')
    })
    app.get('/session-boom', async () => {
      throw new SessionError('CONFLICT', 'session "cart": conflict', { session: 'cart' })
    })
    app.get('/handed-on', async (request) => {
      await request.sessions.set(Cart, null as never)
    })
    app.get('/guarded', { preHandler: requireSession(Cart) }, async () => ({ result: 'in' }))
    const server = await start(app)
    try {
      const boom = await get(server.url, '/boom')
      expect(boom.status).toBe(418)
      expect(boom.result).toBe('app failure')
      // The app's handler gets a session error, with the table's status set, and answers as it likes.
      const sessionBoom = await get(server.url, '/session-boom')
      expect(sessionBoom.status).toBe(418)
      expect(sessionBoom.result).toBe('session "cart": conflict')
      expect(isSessionError(seen[1], 'CONFLICT')).toBe(true)
      // Handed on to Fastify's default handler, it is answered as the other adapters answer it.
      const handedOn = await get(server.url, '/handed-on')
      expect(handedOn.status).toBe(500)
      expect(handedOn.text).toBe('{"error":"SESSION_ERROR"}')
      expect(isSessionError(seen[2], 'INVALID_VALUE')).toBe(true)
      expect((await get(server.url, '/guarded')).status).toBe(401)
    } finally {
      await server.close()
    }
  })
})
