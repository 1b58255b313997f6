import { cookie } from '@tessera/core'
import { createSessions } from '@tessera/node'
import { expressSessions, requireSession, sessionErrorHandler } from '@tessera/node/express'
import { redisStorage } from '@tessera/node/redis'
import express from 'express'
import type { Redis } from 'ioredis'
import { Cart, Login } from './sessions.js'

export interface AppOptions {
  secret: string
  redis: Redis
  /** Where the logins live in Redis. */
  redisPrefix: string
}

export function createApp({ secret, redis, redisPrefix }: AppOptions): express.Express {
  const sessions = createSessions({
    secret,
    sessions: [
      cookie(Cart, { maxAge: '7d' }),
      cookie(Login, {
        storage: redisStorage(redis, { prefix: redisPrefix }),
        owner: (login) => login.userId,
      }),
    ],
  })

  const app = express()
  app.use(express.json())
  app.use(expressSessions(sessions))

  app.get('/cart', async (req, res) => {
    res.json((await req.sessions.get(Cart)) ?? { items: [] })
  })

  app.post('/cart/items', async (req, res) => {
    const sku = String(req.body.sku)
    const cart = await req.sessions.update(Cart, (cart) => ({
      items: [...(cart?.items ?? []), { sku, quantity: 1 }],
    }))
    res.json(cart)
  })

  app.post('/login', async (req, res) => {
    await req.sessions.regenerate(Login)
    await req.sessions.set(Login, { userId: String(req.body.userId) })
    res.status(204).end()
  })

  app.get('/me', requireSession(Login), async (req, res) => {
    res.json(await req.sessions.get(Login))
  })

  app.post('/logout', async (req, res) => {
    await req.sessions.clear(Login)
    res.status(204).end()
  })

  app.use(sessionErrorHandler())
  return app
}
