import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { countingStorage } from '../helpers/counting-storage'
import { FakeBrowser, fakeClock, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

/*
 * The calls of one request in any order: `clear` while a `get` of the same session is still reading,
 * and `clear` or `id` as the first call. Each must give the answer the calls give one after the other.
 */

const Cart = defineSession<{ items: string[] }>()('cart')
const Login = defineSession<{ user: string }>()('login', { storage: 'server' })

function setup() {
  const clock = fakeClock()
  const counted = countingStorage({ now: clock.now })
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Cart), cookie(Login, { storage: counted.storage })],
    now: clock.now,
  })
  return { ...counted, engine, browser: new FakeBrowser(engine, clock.now) }
}

describe('clear while a get of the same session is still reading', () => {
  it('a client-stored value does not come back: a later get is null and the cookie is cleared', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Cart, { items: ['a'] }))
    const { io, result } = await env.browser.request(async (s) => {
      const reading = s.get(Cart)
      await s.clear(Cart)
      await reading
      return s.get(Cart)
    })
    expect(result).toBeNull()
    expect(io.setCookies()).toHaveLength(1)
    expect(isClearing(io.setCookies()[0]!)).toBe(true)
    expect(env.browser.cookies.has('cart')).toBe(false)
  })

  it('a server-stored value does not come back, and its entry is invalidated', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada' }))
    const id = (await env.browser.request((s) => s.id(Login))).result!
    const { io, result } = await env.browser.request(async (s) => {
      const reading = s.get(Login)
      await s.clear(Login)
      await reading
      return { value: await s.get(Login), id: await s.id(Login) }
    })
    expect(result).toEqual({ value: null, id: null })
    expect(io.setCookies().map(isClearing)).toEqual([true])
    expect(await env.storage.read(id)).toBeNull()
    expect((await env.browser.request((s) => s.get(Login))).result).toBeNull()
  })
})

describe('the first call of a request', () => {
  it('clear on a server-stored session the request carries no cookie for: no storage call, nothing written', async () => {
    const env = setup()
    const { io } = await env.browser.request((s) => s.clear(Login))
    expect(env.calls).toEqual({ read: 0, write: 0, invalidate: 0, invalidateOwner: 0 })
    expect(io.appended).toEqual([])
  })

  it('clear on a server-stored session: its entry is invalidated without being read', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada' }))
    const id = (await env.browser.request((s) => s.id(Login))).result!
    env.reset()
    const { io } = await env.browser.request((s) => s.clear(Login))
    expect(env.calls).toEqual({ read: 0, write: 0, invalidate: 1, invalidateOwner: 0 })
    expect(io.setCookies().map(isClearing)).toEqual([true])
    expect(await env.storage.read(id)).toBeNull()
  })

  it('id for an existing server-stored session gives its id; null when there is none', async () => {
    const env = setup()
    expect((await env.browser.request((s) => s.id(Login))).result).toBeNull()
    const created = (await env.browser.request(async (s) => s.set(Login, { user: 'ada' }))).io
    expect(created.setCookies()).toHaveLength(1)
    const { result: id } = await env.browser.request((s) => s.id(Login))
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    // The stored entry: a line of what lifetime needs, then the codec's text.
    expect((await env.storage.read(id!))?.data).toMatch(/\n\{"json":\{"user":"ada"\}\}$/)
  })
})

describe('calls after a clear, and the commit', () => {
  it('get after clear, as the first calls: null, not the value the request carried', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Cart, { items: ['a'] }))
    const { result, io } = await env.browser.request(async (s) => {
      await s.clear(Cart)
      return s.get(Cart)
    })
    expect(result).toBeNull()
    expect(io.setCookies().map(isClearing)).toEqual([true])
  })

  it('commit writes once: a second commit adds no line', async () => {
    const env = setup()
    const io = fakeIO()
    const sessions = env.engine.open(io.io)
    await sessions.set(Cart, { items: ['a'] })
    sessions.commit()
    sessions.commit()
    expect(io.setCookies()).toHaveLength(1)
  })

  it('a set still working when the response is committed fails with RESPONSE_COMMITTED, never a lost write', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Cart, { items: ['a'] }))
    const io = fakeIO({ cookie: `cart=${env.browser.cookies.get('cart')}` })
    const sessions = env.engine.open(io.io)
    const setting = sessions.set(Cart, { items: ['b'] })
    sessions.commit()
    await expect(setting).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })
    expect(io.setCookies()).toEqual([])
  })

  it('set after clear, of the value the request carried: written, not skipped as unchanged', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Cart, { items: ['a'] }))
    const { io } = await env.browser.request(async (s) => {
      await s.clear(Cart)
      await s.set(Cart, { items: ['a'] })
    })
    expect(io.setCookies().map(isClearing)).toEqual([false])
    expect((await env.browser.request((s) => s.get(Cart))).result).toEqual({ items: ['a'] })
  })

  it('regenerate after clear does nothing: the cleared session does not come back', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Cart, { items: ['a'] }))
    const { io } = await env.browser.request(async (s) => {
      await s.clear(Cart)
      await s.regenerate(Cart)
    })
    expect(io.setCookies().map(isClearing)).toEqual([true])
    expect(env.browser.cookies.has('cart')).toBe(false)
  })

  it('id after clear, as the first calls: null, not the id the request carried', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada' }))
    const { result } = await env.browser.request(async (s) => {
      await s.clear(Login)
      return s.id(Login)
    })
    expect(result).toBeNull()
  })
})
