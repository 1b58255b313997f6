import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession, isSessionError } from '../../src'
import { countingStorage } from '../helpers/counting-storage'
import { FakeBrowser, fakeClock, SECRET } from '../helpers/fake-io'

/*
 * When a request writes a token, a storage entry or nothing: a read of a fresh session writes
 * nothing, a new value of a server-stored session moves its entry and not its cookie, an equal value
 * is skipped unless told otherwise, and new metadata is never skipped.
 */

type Cart = { items: string[] }
const Login = defineSession<{ user: string }>()('login', { storage: 'server', expiry: { idle: '1h' } })

function serverSetup() {
  const clock = fakeClock()
  const counted = countingStorage({ now: clock.now })
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Login, { storage: counted.storage })],
    now: clock.now,
  })
  return { ...counted, clock, engine, browser: new FakeBrowser(engine, clock.now) }
}

describe('a read', () => {
  it('of a fresh idle-limited cookie session writes no cookie', async () => {
    const clock = fakeClock()
    const Cart = defineSession<Cart>()('cart', { expiry: { idle: '1h' } })
    const engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Cart)], now: clock.now })
    const browser = new FakeBrowser(engine, clock.now)
    await browser.request((s) => s.set(Cart, { items: ['a'] }))
    clock.advance(600)
    const { result, io } = await browser.request((s) => s.get(Cart))
    expect(result).toEqual({ items: ['a'] })
    expect(io.setCookies()).toEqual([])
  })

  it('of a session with no idle limit is not renewed, even when a limit was added since it was issued', async () => {
    const clock = fakeClock()
    const endless = defineSession<Cart>()('cart', { expiry: { idle: null } })
    const limited = defineSession<Cart>()('cart', { expiry: { idle: null, absolute: '2h' } })
    const before = new FakeBrowser(
      createSessionEngine({ secret: SECRET, sessions: [cookie(endless)], now: clock.now }),
      clock.now,
    )
    await before.request((s) => s.set(endless, { items: ['a'] }))
    expect((await before.request((s) => s.lifetime(endless))).result?.expiresAt).toBeNull()
    clock.advance(600)
    const after = new FakeBrowser(
      createSessionEngine({ secret: SECRET, sessions: [cookie(limited)], now: clock.now }),
      clock.now,
    )
    for (const [name, value] of before.cookies) after.cookies.set(name, value)
    const { result, io } = await after.request((s) => s.get(limited))
    expect(result).toEqual({ items: ['a'] })
    // Renewal moves an idle limit only: the token is not re-issued.
    expect(io.setCookies()).toEqual([])
  })
})

describe('renewal', () => {
  it('does not stretch a lifetime of its own shorter than the idle limit', async () => {
    const clock = fakeClock()
    const Cart = defineSession<Cart>()('cart', { expiry: { idle: '1h' } })
    const engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Cart)], now: clock.now })
    const browser = new FakeBrowser(engine, clock.now)
    await browser.request((s) => s.set(Cart, { items: ['a'] }, { maxAge: 600 }))
    // Within half of the idle limit of its end, where an ordinary session would be renewed.
    clock.advance(500)
    const { result, io } = await browser.request((s) => s.get(Cart))
    expect(result).toEqual({ items: ['a'] })
    expect(io.setCookies()).toEqual([])
    clock.advance(100)
    expect((await browser.request((s) => s.get(Cart))).result).toBeNull()
  })
})

describe('a server-stored session', () => {
  it('given a new value moves its entry, not its cookie: the id travels unchanged', async () => {
    const env = serverSetup()
    await env.browser.request((s) => s.set(Login, { user: 'ada' }))
    env.clock.advance(600)
    env.reset()
    const { io } = await env.browser.request((s) => s.set(Login, { user: 'grace' }))
    expect(env.calls.write).toBe(1)
    expect(io.setCookies()).toEqual([])
  })

  it('expires when its entry does: a later write moves the lifetime the app sees', async () => {
    const env = serverSetup()
    const start = env.clock.seconds()
    await env.browser.request((s) => s.set(Login, { user: 'ada' }))
    env.clock.advance(600)
    await env.browser.request((s) => s.set(Login, { user: 'grace' }))
    env.clock.advance(100)
    const { result } = await env.browser.request((s) => s.lifetime(Login))
    // The cookie's token still says start + 1h; the entry, written at +600 s, says +600 s + 1h.
    expect(result).toEqual({
      createdAt: new Date(start * 1000),
      expiresAt: new Date((start + 600 + 3600) * 1000),
      maxExpiresAt: null,
      ownLifetime: false,
    })
  })

  it('given an equal value with new metadata stores the metadata', async () => {
    const env = serverSetup()
    const { result: id } = await env.browser.request(async (s) => {
      await s.set(Login, { user: 'ada' }, { metadata: { device: 'laptop' } })
      return s.id(Login)
    })
    env.reset()
    await env.browser.request((s) => s.set(Login, { user: 'ada' }, { metadata: { device: 'phone' } }))
    expect(env.calls.write).toBe(1)
    const entry = await env.storage.read(id!)
    expect(entry?.data).toContain('"phone"')
    expect(entry?.data).not.toContain('"laptop"')
  })

  it('has no handle when there is no session', async () => {
    const env = serverSetup()
    const { result } = await env.browser.request((s) => s.handle(Login))
    expect(result).toBeNull()
    expect(env.calls.read).toBe(0)
  })

  it('refuses metadata beyond its limits with a message that names the session and the rule', async () => {
    const env = serverSetup()
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`label${i}`, 'x']))
    const error = await env.browser
      .request((s) => s.set(Login, { user: 'ada' }, { metadata: tooMany }))
      .catch((caught: unknown) => caught)
    expect(isSessionError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'INVALID_OPTION',
      session: 'login',
      message:
        'session "login": metadata must be at most 16 string labels, names of 1 to 64 characters, values of at most 512',
    })
  })
})

describe('an equal value', () => {
  it('is not written again by default, and is written with skipEqualWrites: false', async () => {
    const Cart = defineSession<Cart>()('cart')
    const skipping = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [cookie(Cart)] }))
    const writing = new FakeBrowser(
      createSessionEngine({ secret: SECRET, sessions: [cookie(Cart, { skipEqualWrites: false })] }),
    )
    for (const browser of [skipping, writing]) await browser.request((s) => s.set(Cart, { items: ['a'] }))
    const skipped = await skipping.request((s) => s.set(Cart, { items: ['a'] }))
    const written = await writing.request((s) => s.set(Cart, { items: ['a'] }))
    expect(skipped.io.setCookies()).toEqual([])
    expect(written.io.setCookies()).toHaveLength(1)
  })
})
