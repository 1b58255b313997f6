import { header } from '@tessera/core'
import { createSessions } from '@tessera/node'
import { requireSession, sessionsOf, withSessions } from '@tessera/node/fetch'
import { Hono } from 'hono'
import { Login } from './sessions.js'

export function createApp(secret: string): (request: Request) => Promise<Response> {
  const sessions = createSessions({ secret, sessions: [header(Login)] })
  const signedIn = requireSession(Login)

  const app = new Hono()
  app.post('/login', async (c) => {
    const { userId, name } = await c.req.json<{ userId: string; name: string }>()
    await sessionsOf(c.req.raw).set(Login, { userId, name })
    return c.body(null, 204)
  })
  app.use('/me', async (c, next) => {
    const challenge = await signedIn(c.req.raw)
    if (challenge) return challenge
    await next()
  })
  app.get('/me', async (c) => c.json(await sessionsOf(c.req.raw).get(Login)))
  app.post('/logout', async (c) => {
    await sessionsOf(c.req.raw).clear(Login)
    return c.body(null, 204)
  })

  return withSessions(sessions, app.fetch)
}
