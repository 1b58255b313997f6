import {
  cookie,
  createSessionEngine,
  defineSession,
  isSessionError,
  jsonCodec,
  type SessionIO,
} from '@tessera/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createSessionClient } from '../../src'
import { clearCookies, Draft, Prefs, spyCookieWrites } from './fixtures'

afterEach(() => {
  clearCookies()
  sessionStorage.clear()
  vi.restoreAllMocks()
})

/** What a server reads from a request that carries this page's cookies. */
async function serverReads<T>(
  descriptor: Parameters<typeof cookie>[0],
  cookieHeader = document.cookie,
): Promise<T | null> {
  const engine = createSessionEngine({ sessions: [cookie(descriptor)] })
  const io: SessionIO = {
    requestHeader: (name) => (name === 'cookie' ? cookieHeader : undefined),
    appendHeader: () => undefined,
    setHeader: () => undefined,
    headersSent: () => false,
    isSecure: () => false,
  }
  return (await engine.open(io).get(descriptor)) as T | null
}

/** The raw cookie string the page holds for `name`. */
const cookieValue = (name: string) =>
  document.cookie
    .split('; ')
    .find((pair) => pair.startsWith(`${name}=`))
    ?.slice(name.length + 1)

describe('set and clear: browser-owned sessions', () => {
  it('writes a v1 none token the server reads back as the same value', async () => {
    const sessions = createSessionClient({ sessions: [Prefs] })
    await sessions.set(Prefs, { theme: 'dark' })
    expect(cookieValue('prefs')).toMatch(/^v1\.n\.\d+\.\d+\.[A-Za-z0-9_-]+$/)
    expect(await serverReads(Prefs)).toEqual({ theme: 'dark' })
    expect(await sessions.get(Prefs)).toEqual({ theme: 'dark' })
    expect(sessions.peek(Prefs)).toEqual({ theme: 'dark' })
  })

  it('clears the cookie', async () => {
    const sessions = createSessionClient({ sessions: [Prefs] })
    await sessions.set(Prefs, { theme: 'dark' })
    await sessions.clear(Prefs)
    expect(cookieValue('prefs')).toBeUndefined()
    expect(await sessions.get(Prefs)).toBeNull()
  })

  it('writes the attributes given per session (path, sameSite, maxAge)', async () => {
    const writes = spyCookieWrites()
    const sessions = createSessionClient({
      sessions: [{ descriptor: Prefs, options: { path: '/', sameSite: 'strict', maxAge: '1d' } }],
      now: () => Date.UTC(2030, 0, 1),
    })
    await sessions.set(Prefs, { theme: 'light' })
    const line = writes().at(-1)!
    expect(line).toMatch(/^prefs=v1\.n\./)
    expect(line).toContain('; path=/')
    expect(line).toContain('; sameSite=strict')
    expect(line).toContain('; max-age=86400')
    expect(line).toContain(`; expires=${new Date(Date.UTC(2030, 0, 2)).toUTCString()}`)
    expect(line).not.toMatch(/secure/i)
  })

  it('gives the cookie the remaining lifetime of the session by default, and none with maxAge null', async () => {
    const writes = spyCookieWrites()
    const Short = defineSession<{ n: number }>()('short', {
      visibility: 'client',
      protection: 'none',
      expiry: { idle: '1h' },
    })
    const sessions = createSessionClient({
      sessions: [Short, { descriptor: Prefs, options: { maxAge: null } }],
    })
    await sessions.set(Short, { n: 1 })
    expect(writes().at(-1)).toContain('; max-age=3600')
    await sessions.set(Prefs, { theme: 'dark' })
    expect(writes().at(-1)).toMatch(/^prefs=v1\.n\./)
    expect(writes().at(-1)).not.toMatch(/max-age|expires/)
  })

  it('keeps the start of a running session, so an absolute lifetime holds across writes', async () => {
    let now = Date.UTC(2030, 0, 1)
    const Capped = defineSession<{ n: number }>()('capped', {
      visibility: 'client',
      protection: 'none',
      codec: jsonCodec,
      expiry: { idle: '1d', absolute: '2h' },
    })
    const sessions = createSessionClient({ sessions: [Capped], now: () => now })
    await sessions.set(Capped, { n: 1 })
    const [, , iat1, exp1] = cookieValue('capped')!.split('.')
    now += 3_600_000
    await sessions.set(Capped, { n: 2 })
    const [, , iat2, exp2] = cookieValue('capped')!.split('.')
    expect(iat2).toBe(iat1)
    expect(Number(exp1)).toBe(Number(iat1) + 7200)
    expect(exp2).toBe(exp1)
  })

  it('refuses a value that fails the schema, or none at all, and writes nothing', async () => {
    const Theme = defineSession('theme', {
      schema: z.object({ theme: z.enum(['dark', 'light']) }),
      visibility: 'client',
      protection: 'none',
    })
    const sessions = createSessionClient({ sessions: [Theme] })
    // @ts-expect-error not a theme
    const bad = await sessions.set(Theme, { theme: 'blue' }).catch((error: unknown) => error)
    expect(isSessionError(bad, 'INVALID_VALUE')).toBe(true)
    // @ts-expect-error set needs a value
    const none = await sessions.set(Theme, null).catch((error: unknown) => error)
    expect(isSessionError(none, 'INVALID_VALUE')).toBe(true)
    expect(cookieValue('theme')).toBeUndefined()
  })

  it('refuses a cookie over 4096 bytes (TOO_LARGE) without the value in the message', async () => {
    const Big = defineSession<{ blob: string }>()('big', { visibility: 'client', protection: 'none' })
    const sessions = createSessionClient({ sessions: [Big] })
    const blob = 'x'.repeat(5000)
    const error = await sessions.set(Big, { blob }).catch((caught: unknown) => caught)
    expect(isSessionError(error, 'TOO_LARGE')).toBe(true)
    expect((error as Error).message).not.toContain('xxxx')
    expect(cookieValue('big')).toBeUndefined()
  })

  it('checks cookie attributes by the cookie rules (SameSite=None needs Secure)', async () => {
    const sessions = createSessionClient({ sessions: [{ descriptor: Prefs, options: { sameSite: 'none' } }] })
    const error = await sessions.set(Prefs, { theme: 'dark' }).catch((caught: unknown) => caught)
    expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
  })

  it('keeps a browser-owned header session in its store and sends it', async () => {
    const sessions = createSessionClient({ sessions: [Draft], headerStore: 'local' })
    await sessions.set(Draft, { text: 'hello' })
    expect(localStorage.getItem('tessera:draft')).toMatch(/^v1\.n\./)
    expect(await sessions.get(Draft)).toEqual({ text: 'hello' })
    await sessions.clear(Draft)
    expect(localStorage.getItem('tessera:draft')).toBeNull()
    localStorage.clear()
  })

  it('refuses to write a session the server writes (also a type error)', async () => {
    const Signed = defineSession('signed', { visibility: 'client', publicKeys: { '0': 'A'.repeat(43) } })
    const sessions = createSessionClient({ sessions: [Signed] })
    // @ts-expect-error the server writes this session
    const error = await sessions.set(Signed, { a: 1 }).catch((caught: unknown) => caught)
    expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
  })
})
