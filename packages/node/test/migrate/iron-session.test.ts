import { createServer } from 'node:http'
import { getIronSession, sealData } from 'iron-session'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isSessionError } from '../../src'
import { ironSessionCookie } from '../../src/migrate'
import { isCleared, Login, listen, migratingEngine, pair, type Running, request, tesseraApp } from './apps'

const PASSWORD = 'the password the iron-session app sealed with, 32+'
const COOKIE = 'app-session'

interface OldSession {
  user?: { id: string }
}

/** The app before tessera: iron-session on node:http; POST /login seals user u1 into the cookie. */
async function signIn(password: string | Record<string, string> = PASSWORD): Promise<string> {
  const legacy = await listen(
    createServer(async (req, res) => {
      const session = await getIronSession<OldSession>(req, res, { password, cookieName: COOKIE })
      session.user = { id: 'u1' }
      await session.save()
      res.end('"ok"')
    }),
  )
  try {
    const line = (await request(`${legacy.url}/login`, '', 'POST')).setCookies.get(COOKIE)
    expect(line).toMatch(/^app-session=Fe26\.2\*/)
    return pair(line)
  } finally {
    await legacy.close()
  }
}

const toLogin = (old: OldSession) => (old.user ? { userId: old.user.id } : null)
const source = (password: string | Record<string, string> = PASSWORD) =>
  ironSessionCookie(Login, { cookieName: COOKIE, password, from: toLogin })

let tessera: Running | undefined
afterEach(async () => {
  vi.useRealTimers()
  await tessera?.close()
  tessera = undefined
})

describe('ironSessionCookie: a real iron-session cookie taken over', () => {
  it('re-issues the session as a tessera cookie and clears the sealed one', async () => {
    const sealed = await signIn()
    tessera = await tesseraApp(migratingEngine([source()]))
    const first = await request(`${tessera.url}/me`, sealed)
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ userId: 'u1' })
    expect(first.setCookies.get('login')).toMatch(/^login=v1\./)
    expect(isCleared(first.setCookies.get(COOKIE))).toBe(true)

    const second = await request(`${tessera.url}/me`, pair(first.setCookies.get('login')))
    expect(second.body).toEqual({ userId: 'u1' })
    expect(second.setCookies.size).toBe(0)
  })

  it('opens with every password of a rotation map, and with none other', async () => {
    const sealedWithOld = await signIn({ 1: PASSWORD })
    tessera = await tesseraApp(
      migratingEngine([source({ 2: 'the password that seals from now on, 32+', 1: PASSWORD })]),
    )
    expect((await request(`${tessera.url}/me`, sealedWithOld)).body).toEqual({ userId: 'u1' })
    await tessera.close()

    tessera = await tesseraApp(migratingEngine([source('another password of thirty-two characters')]))
    const answer = await request(`${tessera.url}/me`, sealedWithOld)
    expect(answer.status).toBe(200)
    expect(answer.body).toBeNull()
    expect(answer.setCookies.has('login')).toBe(false)
    expect(isCleared(answer.setCookies.get(COOKIE))).toBe(true)
  })

  it('reads a tampered or cut seal as absent, and clears it', async () => {
    const sealed = await signIn()
    tessera = await tesseraApp(migratingEngine([source()]))
    const value = sealed.slice(COOKIE.length + 1)
    const parts = value.split('*')
    const flip = (text: string) => (text.at(-1) === 'A' ? `${text.slice(0, -1)}B` : `${text.slice(0, -1)}A`)
    const forged = [
      parts.map((part, i) => (i === 4 ? flip(part) : part)).join('*'), // the ciphertext
      parts.map((part, i) => (i === 7 ? flip(part.split('~')[0]!) + '~2' : part)).join('*'), // the MAC
      value.slice(0, value.length / 2),
      'Fe26.2**garbage',
      // iron throws on these rather than answering {}: another version, an expiry that is not a number
      ['Fe26.1', ...parts.slice(1)].join('*'),
      parts.map((part, i) => (i === 6 ? 'soon' : part)).join('*'),
    ]
    for (const seal of forged) {
      const answer = await request(`${tessera.url}/me`, `${COOKIE}=${seal}`)
      expect(answer.status, seal).toBe(200)
      expect(answer.body).toBeNull()
      expect(isCleared(answer.setCookies.get(COOKIE))).toBe(true)
    }
  })

  it('reads an expired seal as absent', async () => {
    const seal = await sealData({ user: { id: 'u1' } }, { password: PASSWORD, ttl: 60 })
    const reader = source()
    expect(await reader.open(seal)).toEqual({ userId: 'u1' })
    // iron allows 60 s of clock skew past the expiry: two minutes later the seal is refused.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 180_000)
    expect(await reader.open(seal)).toBeNull()
  })

  it('reads a seal holding no data, or one iron-session reads as {} (a bad MAC), as absent', async () => {
    // A mapping that makes a session of anything: the source must not hand it iron-session's {}.
    const reader = ironSessionCookie(Login, {
      cookieName: COOKIE,
      password: PASSWORD,
      from: () => ({ userId: 'any' }),
    })
    expect(await reader.open(await sealData({}, { password: PASSWORD }))).toBeNull()
    const other = await sealData(
      { user: { id: 'u1' } },
      { password: 'another password of thirty-two characters' },
    )
    expect(await reader.open(other)).toBeNull()
    expect(await reader.open(await sealData({ user: { id: 'u1' } }, { password: PASSWORD }))).toEqual({
      userId: 'any',
    })
  })

  it('refuses passwords iron-session would refuse, when created', () => {
    for (const password of ['short', { 1: 'short' }, {}]) {
      let thrown: unknown
      try {
        source(password as string)
      } catch (error) {
        thrown = error
      }
      expect(isSessionError(thrown, 'INVALID_KEY')).toBe(true)
    }
  })
})
