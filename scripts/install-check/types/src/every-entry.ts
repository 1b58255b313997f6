// Imports every public entry point of the three packages and uses them as an application would, so
// that the published declarations are compiled (skipLibCheck off) and their types checked where it
// matters: what `get` returns, what `set` refuses. Compiled with moduleResolution bundler and nodenext.
import { createServer } from 'node:http'
import { createSessionClient, readSession } from '@tessera/browser'
import { SessionClientProvider, useSession } from '@tessera/browser/react'
import * as browserTesting from '@tessera/browser/testing'
import {
  cookie,
  createSessionEngine,
  defineSession,
  header,
  InvalidReason,
  isSessionError,
  jsonCodec,
  memoryStorage,
  SessionError,
  SessionErrorCode,
  superjsonCodec,
  webCrypto,
} from '@tessera/core'
import { createSessions, nodeCrypto, sessionErrorStatus } from '@tessera/node'
import { type ConnectStore, connectStoreStorage } from '@tessera/node/connect-store'
import { directoryStorage } from '@tessera/node/directory'
import { expressSessions, requireSession } from '@tessera/node/express'
import { fastifySessions } from '@tessera/node/fastify'
import { sessionsOf, withSessions as withFetchSessions } from '@tessera/node/fetch'
import { withSessions } from '@tessera/node/http'
import { expressSessionCookie, ironSessionCookie, migrateSessions } from '@tessera/node/migrate'
import {
  type ReadonlySessions,
  readSessions,
  requireSession as requireNextSession,
  withSessions as withNextSessions,
  writeSessions,
} from '@tessera/node/next'
import { postgresStorage } from '@tessera/node/postgres'
import { sessionsOf as routeSessionsOf, withSessions as withRouteSessions } from '@tessera/node/react-router'
import { redisStorage } from '@tessera/node/redis'
import express from 'express'
import Fastify from 'fastify'
import { Redis } from 'ioredis'
import pg from 'pg'
import { createElement } from 'react'
import { redirect as routeRedirect } from 'react-router'

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectTrue<T extends true>(_proof?: T): void {}

interface CartValue {
  items: string[]
}
const Cart = defineSession<CartValue>()('cart', { visibility: 'client', codec: jsonCodec })
const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
const Notes = defineSession<{ text: string }>()('notes', { codec: superjsonCodec })

const secret = 'a secret of at least thirty-two bytes, for types only'
const sessions = createSessions({
  secret,
  crypto: nodeCrypto,
  sessions: [cookie(Cart, { maxAge: '7d' }), header(Login, { storage: memoryStorage() }), cookie(Notes)],
})
const portable = createSessionEngine({ secret, crypto: webCrypto, sessions: [cookie(Notes)] })

// Express: `req.sessions` is typed on every request once @tessera/node/express is imported.
const app = express()
app.use(expressSessions(sessions))
app.get('/cart', requireSession(Cart), async (req, res) => {
  const cart = await req.sessions.get(Cart)
  expectTrue<Equal<typeof cart, CartValue | null>>()
  // @ts-expect-error a number is not a cart
  await req.sessions.set(Cart, 42)
  res.json(cart)
})

// Fastify
const fastify = Fastify()
void fastify.register(fastifySessions(sessions))
fastify.get('/login', async (request) => request.sessions.get(Login))

// fetch handlers (Hono, Next.js, Bun, Deno)
export const handle = withFetchSessions(sessions, async (request: Request) => {
  const login = await sessionsOf(request).get(Login)
  expectTrue<Equal<typeof login, { userId: string } | null>>()
  return Response.json(login)
})

// node:http
createServer(
  withSessions(sessions, async (req, res) => {
    res.end(JSON.stringify(await req.sessions.get(Notes)))
  }),
)

// Storages (a connect store: any object with express-session's get, set and destroy)
const sessionsById = new Map<string, unknown>()
const store: ConnectStore = {
  get: (sid, callback) => callback(null, sessionsById.get(sid)),
  set: (sid, session, callback) => {
    sessionsById.set(sid, session)
    callback?.()
  },
  destroy: (sid, callback) => {
    sessionsById.delete(sid)
    callback?.()
  },
}
export const storages = [
  connectStoreStorage(store, { timeout: 500 }),
  redisStorage(new Redis({ lazyConnect: true }), { prefix: 'app:sess:' }),
  postgresStorage(new pg.Pool()),
  directoryStorage('/var/lib/app/sessions'),
]

// Migration: the sessions of express-session and iron-session taken over until a date
export const migrating = migrateSessions(sessions, {
  until: new Date('2030-01-01T00:00:00Z'),
  from: [
    expressSessionCookie(Notes, {
      store,
      secret: ['the secret express-session signed with'],
      from: (old: { note?: string }) => (old.note ? { text: old.note } : null),
    }),
    ironSessionCookie(Notes, {
      cookieName: 'iron',
      password: 'an iron-session password of 32+ characters',
      // @ts-expect-error a number is not a note
      from: () => ({ text: 42 }),
    }),
  ],
})
// Next.js App Router: Server Components read, Server Actions and Route Handlers write, middleware guards.
export async function pageCart(): Promise<CartValue | null> {
  const readOnly: ReadonlySessions = await readSessions(portable)
  // @ts-expect-error a Server Component cannot write
  readOnly.set(Cart, { items: [] })
  return readOnly.get(Cart)
}
export async function addToCartAction(item: string): Promise<number> {
  return writeSessions(sessions, async (current) => {
    const cart = await current.update(Cart, (before) => ({ items: [...(before?.items ?? []), item] }))
    return cart.items.length
  })
}
const requireCart = requireNextSession(Cart, { redirect: '/login' })
export const middleware = withNextSessions(
  portable,
  async (request: Request) => (await requireCart(request)) ?? new Response(null),
)

// React Router's framework mode: a loader's data is typed as it returned it.
export const cartLoader = withRouteSessions(
  sessions,
  async ({ request }: { request: Request; params: object }) => {
    const cart = await routeSessionsOf(request).get(Cart)
    if (cart === null) throw routeRedirect('/login')
    return { count: cart.items.length }
  },
)
expectTrue<Equal<Awaited<ReturnType<typeof cartLoader>>['data'], { count: number }>>()

// Errors
export function statusOf(error: unknown): number {
  if (isSessionError(error)) return sessionErrorStatus[error.code]
  return error instanceof SessionError ? 500 : 0
}
export const codes = [SessionErrorCode.STORAGE_UNAVAILABLE, InvalidReason.EXPIRED] as const

// The browser
const publicKeys = await sessions.publicKeys() // served to the page, e.g. as JSON
const client = createSessionClient({ sessions: [Cart, Login], publicKeys })
const read = await readSession(Cart, { publicKeys: publicKeys.cart })
expectTrue<Equal<typeof read, CartValue | null>>()
expectTrue<Equal<Awaited<ReturnType<typeof client.get<typeof Cart>>>, CartValue | null>>()
// @ts-expect-error the server signs the cart: the browser cannot set it
await client.set(Cart, { items: [] })

// React
export function useCartCount(): number {
  return useSession(Cart)?.items.length ?? 0
}
export const provider = createElement(SessionClientProvider, { client }, null)

export const entries = { browserTesting, portable }
