import { describe, expect, it } from 'vitest'
import { createSessionEngine, defineSession, header, memoryStorage } from '../../src'
import { HEADER_CLEARED } from '../../src/internal'
import { fakeIO, SECRET } from '../helpers/fake-io'

const Token = defineSession<{ user: string }>()('X-Session', { transport: 'header', protection: 'signed' })
const engine = createSessionEngine({ secret: SECRET, sessions: [header(Token)] })

async function issue(): Promise<string> {
  const io = fakeIO()
  const sessions = engine.open(io.io)
  await sessions.set(Token, { user: 'ada' })
  sessions.commit()
  return io.headers.get('x-session')!
}

describe('header sessions', () => {
  it('write the token into the response header of the session name, and no cookie', async () => {
    const token = await issue()
    expect(token).toMatch(/^v1\.s\.0\./)
  })

  it('read the token from the request header (lowercase), never the cookie', async () => {
    const token = await issue()
    const io = fakeIO({ headers: { 'x-session': token }, cookie: 'X-Session=garbage' })
    const sessions = engine.open(io.io)
    expect(await sessions.get(Token)).toEqual({ user: 'ada' })
    expect(io.reads).toEqual(['x-session'])
    sessions.commit()
    expect(io.headers.size).toBe(0)
    expect(io.appended).toEqual([])
  })

  it('answer clear with the value "cleared" when the request carried the header', async () => {
    expect(HEADER_CLEARED).toBe('cleared')
    const token = await issue()
    const io = fakeIO({ headers: { 'x-session': token } })
    const sessions = engine.open(io.io)
    await sessions.clear(Token)
    sessions.commit()
    expect(io.headers.get('x-session')).toBe('cleared')
    const none = fakeIO()
    const fresh = engine.open(none.io)
    await fresh.clear(Token)
    fresh.commit()
    expect(none.headers.size).toBe(0)
  })

  it('treat an incoming "cleared" or empty header as no session', async () => {
    for (const value of ['cleared', '']) {
      const io = fakeIO({ headers: { 'x-session': value } })
      const sessions = engine.open(io.io)
      expect(await sessions.get(Token)).toBeNull()
      sessions.commit()
      expect(io.headers.size).toBe(0)
    }
  })

  it('answer a bad token with "cleared"', async () => {
    const io = fakeIO({ headers: { 'x-session': 'v1.s.0.1.0.e30.forged' } })
    const sessions = engine.open(io.io)
    expect(await sessions.get(Token)).toBeNull()
    sessions.commit()
    expect(io.headers.get('x-session')).toBe('cleared')
  })

  it('add Access-Control-Expose-Headers only when the request has an Origin header', async () => {
    const sameOrigin = fakeIO()
    const a = engine.open(sameOrigin.io)
    await a.set(Token, { user: 'ada' })
    a.commit()
    expect(sameOrigin.appended).toEqual([])

    const crossOrigin = fakeIO({ headers: { origin: 'https://app.example' } })
    const b = engine.open(crossOrigin.io)
    await b.set(Token, { user: 'ada' })
    b.commit()
    expect(crossOrigin.appended).toEqual([['access-control-expose-headers', 'X-Session']])

    const cleared = fakeIO({ headers: { origin: 'https://app.example', 'x-session': await issue() } })
    const c = engine.open(cleared.io)
    await c.clear(Token)
    c.commit()
    expect(cleared.appended).toEqual([['access-control-expose-headers', 'X-Session']])
  })

  it('leave Access-Control-Expose-Headers alone with exposeHeader: false', async () => {
    const quiet = createSessionEngine({ secret: SECRET, sessions: [header(Token, { exposeHeader: false })] })
    const io = fakeIO({ headers: { origin: 'https://app.example' } })
    const sessions = quiet.open(io.io)
    await sessions.set(Token, { user: 'ada' })
    sessions.commit()
    expect(io.headers.has('x-session')).toBe(true)
    expect(io.appended).toEqual([])
  })

  it('carry only an id for server-stored header sessions', async () => {
    const Login = defineSession<{ user: string }>()('login', { transport: 'header', storage: 'server' })
    const storage = memoryStorage()
    const server = createSessionEngine({ secret: SECRET, sessions: [header(Login, { storage })] })
    const io = fakeIO()
    const sessions = server.open(io.io)
    await sessions.set(Login, { user: 'ada' })
    sessions.commit()
    const token = io.headers.get('login')!
    expect(token).not.toContain(btoa('ada').slice(0, 3))
    expect(storage.size).toBe(1)
    const next = server.open(fakeIO({ headers: { login: token } }).io)
    expect(await next.get(Login)).toEqual({ user: 'ada' })
  })
})
