import express from 'express'
import Fastify from 'fastify'
import { sealData } from 'iron-session'
import { describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession, isSessionError, type SessionErrorCode } from '../../src'
import { expressSessions } from '../../src/express'
import { fastifySessions } from '../../src/fastify'
import { sessionsOf, withSessions } from '../../src/fetch'
import { expressSessionCookie, ironSessionCookie, migrateSessions } from '../../src/migrate'
import { isCleared, Login, listen, migratingEngine, pair, request, SECRET } from './apps'

const PASSWORD = 'the password the iron-session app sealed with, 32+'
const toLogin = (old: { user?: { id: string } }) => (old.user ? { userId: old.user.id } : null)
const iron = () => ironSessionCookie(Login, { cookieName: 'iron', password: PASSWORD, from: toLogin })
const sealed = () => sealData({ user: { id: 'u1' } }, { password: PASSWORD })

function codeOf(create: () => unknown): SessionErrorCode | undefined {
  try {
    create()
  } catch (error) {
    if (isSessionError(error)) return error.code
    throw error
  }
  return undefined
}

describe('migrateSessions on every adapter', () => {
  it('takes over on the Express adapter', async () => {
    const app = express()
    app.use(expressSessions(migratingEngine([iron()])))
    app.get('/me', async (req, res) => {
      res.json(await req.sessions.get(Login))
    })
    const server = await listen(app.listen(0, '127.0.0.1'))
    try {
      const first = await request(`${server.url}/me`, `iron=${await sealed()}`)
      expect(first.body).toEqual({ userId: 'u1' })
      expect(isCleared(first.setCookies.get('iron'))).toBe(true)
      expect((await request(`${server.url}/me`, pair(first.setCookies.get('login')))).body).toEqual({
        userId: 'u1',
      })
    } finally {
      await server.close()
    }
  })

  it('takes over on the Fastify adapter', async () => {
    const app = Fastify()
    await app.register(fastifySessions(migratingEngine([iron()])))
    app.get('/me', async (request) => ({ login: await request.sessions.get(Login) }))
    const response = await app.inject({ url: '/me', headers: { cookie: `iron=${await sealed()}` } })
    expect(response.json()).toEqual({ login: { userId: 'u1' } })
    const lines = ([] as string[]).concat(response.headers['set-cookie'] ?? [])
    expect(lines.some((line) => line.startsWith('login=v1.'))).toBe(true)
    expect(isCleared(lines.find((line) => line.startsWith('iron=')))).toBe(true)
    await app.close()
  })

  it('takes over on the fetch adapter (Hono, Next.js route handlers), through update', async () => {
    const handler = withSessions(migratingEngine([iron()]), async (request: Request) =>
      Response.json(await sessionsOf(request).update(Login, (login) => login)),
    )
    const response = await handler(
      new Request('http://127.0.0.1/me', { headers: { cookie: `iron=${await sealed()}` } }),
    )
    expect(await response.json()).toEqual({ userId: 'u1' })
    const lines = response.headers.getSetCookie()
    expect(lines.some((line) => line.startsWith('login=v1.'))).toBe(true)
    expect(isCleared(lines.find((line) => line.startsWith('iron=')))).toBe(true)
  })

  it('adds Secure to the clearing line of a request over https', async () => {
    const handler = withSessions(migratingEngine([iron()]), async (request: Request) =>
      Response.json(await sessionsOf(request).get(Login)),
    )
    const response = await handler(
      new Request('https://app.test/me', { headers: { cookie: 'iron=Fe26.2**x' } }),
    )
    const line = response.headers.getSetCookie().find((entry) => entry.startsWith('iron='))
    expect(isCleared(line)).toBe(true)
    expect(line).toMatch(/; Secure$/)
  })

  it('leaves other sessions of the engine alone: only the session a legacy cookie becomes is settled', async () => {
    const Cart = defineSession('cart')
    const engine = migrateSessions(
      createSessions({ secret: SECRET, sessions: [cookie(Login), cookie(Cart)] }),
      {
        until: new Date(Date.now() + 60_000),
        from: [iron()],
      },
    )
    const handler = withSessions(engine, async (request: Request) =>
      Response.json(await sessionsOf(request).get(Cart)),
    )
    const response = await handler(
      new Request('http://127.0.0.1/', { headers: { cookie: `iron=${await sealed()}` } }),
    )
    expect(await response.json()).toBeNull()
    expect(response.headers.getSetCookie()).toEqual([])
  })
})

describe('migrateSessions options', () => {
  const engine = () => createSessions({ secret: SECRET, sessions: [cookie(Login)] })

  it('needs a valid until', () => {
    expect(codeOf(() => migrateSessions(engine(), { from: [iron()] } as never))).toBe('INVALID_OPTION')
    expect(codeOf(() => migrateSessions(engine(), { until: new Date('soon'), from: [iron()] }))).toBe(
      'INVALID_OPTION',
    )
  })

  it('refuses a session the engine does not have, and two sources of one cookie', () => {
    const Other = defineSession<{ userId: string }>()('other')
    const stray = ironSessionCookie(Other, { cookieName: 'x', password: PASSWORD, from: toLogin })
    expect(codeOf(() => migrateSessions(engine(), { until: new Date(), from: [stray] }))).toBe(
      'NOT_REGISTERED',
    )
    expect(codeOf(() => migrateSessions(engine(), { until: new Date(), from: [iron(), iron()] }))).toBe(
      'DUPLICATE',
    )
  })

  it('checks the sources: cookie names and attributes, secrets, the store, the mapping', () => {
    const store = { get: () => undefined, destroy: () => undefined }
    const base = { store, secret: 'old', from: () => null }
    expect(codeOf(() => expressSessionCookie(Login, { ...base, name: 'a b' }))).toBe('INVALID_OPTION')
    expect(codeOf(() => expressSessionCookie(Login, { ...base, cookie: { path: '/;Domain=evil' } }))).toBe(
      'INVALID_OPTION',
    )
    expect(codeOf(() => expressSessionCookie(Login, { ...base, name: '__Host-sid' }))).toBe('INVALID_OPTION')
    expect(codeOf(() => expressSessionCookie(Login, { ...base, secret: [] }))).toBe('INVALID_KEY')
    expect(codeOf(() => expressSessionCookie(Login, { ...base, store: {} as never }))).toBe('INVALID_OPTION')
    expect(codeOf(() => expressSessionCookie(Login, { ...base, timeout: 0 }))).toBe('INVALID_OPTION')
    expect(codeOf(() => expressSessionCookie(Login, { ...base, from: undefined as never }))).toBe(
      'INVALID_OPTION',
    )
    expect(codeOf(() => expressSessionCookie(undefined as never, base))).toBe('INVALID_OPTION')
    expect(
      codeOf(() => expressSessionCookie(Login, { ...base, name: '__Host-sid', cookie: { secure: true } })),
    ).toBeUndefined()
  })
})
