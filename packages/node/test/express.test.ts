import { createServer } from 'node:http'
import express from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { cookie, createSessions } from '../src'
import { expressSessions, requireSession, sessionErrorHandler } from '../src/express'
import { cookieNamed, get } from './adapters/client'
import { expressServer } from './adapters/express-server'
import { listen } from './adapters/listen'
import { sessionSuite } from './adapters/session-suite'
import { Cart, Prefs, SECRET } from './adapters/sessions'

sessionSuite('express 5', expressServer(express))
sessionSuite('express 4', expressServer(express4))

for (const [version, createApp] of [
  ['express 5', express],
  ['express 4', express4],
] as const) {
  describe(`${version}: route-scoped installation`, () => {
    const outer = createSessions({ secret: SECRET, sessions: [cookie(Cart)] })
    const inner = createSessions({ secret: SECRET, sessions: [cookie(Prefs)] })

    it('gives sessions only to the routes of the router that installs them', async () => {
      const app = createApp()
      const scoped = createApp.Router()
      scoped.use(expressSessions(inner))
      scoped.get('/set', async (req, res, next) => {
        try {
          await req.sessions.set(Prefs, { theme: 'dark' })
          res.json({ result: 'set' })
        } catch (error) {
          next(error)
        }
      })
      app.use('/scoped', scoped)
      app.get('/outside', (req, res) => {
        res.json({ result: req.sessions === undefined ? 'no sessions' : 'sessions' })
      })
      const server = await listen(createServer(app))
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

    it('commits both engines when a router installs its own inside the app-wide one', async () => {
      const app = createApp()
      app.use(expressSessions(outer))
      const scoped = createApp.Router()
      scoped.use(expressSessions(outer)) // the same engine again: a no-op
      scoped.use(expressSessions(inner))
      scoped.get('/both', async (req, res, next) => {
        try {
          await req.sessions.set(Prefs, { theme: 'light' })
          res.json({ result: 'set' })
        } catch (error) {
          next(error)
        }
      })
      app.get('/cart', async (req, res, next) => {
        try {
          await req.sessions.set(Cart, { items: 1 })
          res.json({ result: 'set' })
        } catch (error) {
          next(error)
        }
      })
      app.use('/scoped', (req, _res, next) => {
        // an outer write before the router's engine takes over req.sessions
        req.sessions.set(Cart, { items: 2 }).then(() => next(), next)
      })
      app.use('/scoped', scoped)
      const server = await listen(createServer(app))
      try {
        const both = await get(server.url, '/scoped/both')
        expect(both.setCookies.map((line) => line.split('=')[0]).sort()).toEqual(['cart', 'prefs'])
        const cart = await get(server.url, '/cart')
        expect(cart.setCookies.map((line) => line.split('=')[0])).toEqual(['cart'])
      } finally {
        await server.close()
      }
    })

    it('passes errors that are not session errors on, and guards routes with requireSession', async () => {
      const app = createApp()
      app.use(expressSessions(outer))
      app.get('/boom', () => {
        throw new Error('app failure')
      })
      app.get('/guarded', requireSession(Cart), (_req, res) => {
        res.json({ result: 'in' })
      })
      app.use(sessionErrorHandler())
      app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(418).json({ result: error.message })
      })
      const server = await listen(createServer(app))
      try {
        const boom = await get(server.url, '/boom')
        expect(boom.status).toBe(418)
        expect(boom.result).toBe('app failure')
        expect((await get(server.url, '/guarded')).status).toBe(401)
      } finally {
        await server.close()
      }
    })
  })
}
