import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import secureSession from '@fastify/secure-session'
import cookieSession from 'cookie-session'
import express from 'express'
import expressSession from 'express-session'
import fastify from 'fastify'
import { getIronSession } from 'iron-session'
import type { Cart } from '../../workload'
import { BENCH_SECRET, body, bump, newCart, RMW_PATH } from '../../workload'
import type { BenchServer } from './common'
import { benchServer } from './common'
import { fastifyServer } from './frameworks'

/*
 * The peers, each set up as its documentation shows, on the same workload: read the cart, add one
 * to its counter, write it back, answer `{"count":n}`.
 */

declare module 'express-session' {
  interface SessionData {
    cart: Cart
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    cart: Cart
  }
}

/** cookie-session's view of `req.session` (its types and express-session's both claim the name). */
type CookieSessionRequest = { session: { cart?: Cart } | null | undefined }

/** node:http + iron-session 8: a sealed cookie (AES-256-CBC + HMAC through WebCrypto). */
export function startIronSession(): Promise<BenchServer> {
  const options = { password: BENCH_SECRET, cookieName: 'cart', cookieOptions: { secure: false } }
  const server = createServer(async (req, res) => {
    try {
      const session = await getIronSession<{ cart?: Cart }>(req, res, options)
      const cart = bump(session.cart, newCart)
      session.cart = cart
      await session.save()
      res.statusCode = 200
      res.setHeader('content-type', 'application/json')
      res.end(body(cart.count))
    } catch {
      res.statusCode = 500
      res.end()
    }
  })
  return benchServer(server, { sessions: true })
}

/** Express 5 + cookie-session: a JSON cookie signed with keygrip (HMAC-SHA1) in a second cookie. */
export function startCookieSession(): Promise<BenchServer> {
  const app = express()
  app.use(cookieSession({ name: 'session', keys: [BENCH_SECRET], secure: false }))
  app.get(RMW_PATH, (req, res) => {
    const request = req as unknown as CookieSessionRequest
    const cart = bump(request.session?.cart, newCart)
    request.session = { cart }
    res.json({ count: cart.count })
  })
  return benchServer(createServer(app), { sessions: true })
}

/** Express 5 + express-session with its default MemoryStore (a signed id cookie). */
export function startExpressSession(): Promise<BenchServer> {
  const app = express()
  app.use(
    expressSession({
      secret: BENCH_SECRET,
      resave: false,
      saveUninitialized: false,
      cookie: { secure: false },
    }),
  )
  app.get(RMW_PATH, (req, res) => {
    const cart = bump(req.session.cart, newCart)
    req.session.cart = cart
    res.json({ count: cart.count })
  })
  return benchServer(createServer(app), { sessions: true })
}

/** Fastify 5 + @fastify/secure-session: a sealed cookie (libsodium secretbox, native). */
export async function startSecureSession(): Promise<BenchServer> {
  const app = fastify({ logger: false })
  await app.register(secureSession, { key: randomBytes(32), cookieName: 'session', cookie: { path: '/' } })
  app.get(RMW_PATH, async (request) => {
    const cart = bump(request.session.get('cart'), newCart)
    request.session.set('cart', cart)
    return { count: cart.count }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return fastifyServer(app, { sessions: true })
}
