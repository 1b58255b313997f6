import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession, memoryStorage } from '../../src'
import { cookiePair, FakeBrowser, fakeClock, fakeIO, SECRET } from '../helpers/fake-io'

const OLD = { id: 'k1', secret: 'the key before the rotation, 32+ bytes' }
const NEW = { id: 'k2', secret: 'the key after the rotation, 32+ bytes!' }

/** The claims inside a signed token. */
function claimsOf(token: string) {
  const [, , kid, iat, exp] = token.split('.')
  return { kid, iat: Number(iat), exp: Number(exp) }
}

describe('key rotation', () => {
  for (const protection of ['signed', 'sealed', 'ed25519'] as const) {
    it(`${protection}: a token of the old key reads, and is re-issued with the newest key`, async () => {
      const Cart = defineSession<{ n: number }>()('cart', {
        protection,
        visibility: protection === 'ed25519' ? 'client' : 'server',
      })
      const before = new FakeBrowser(createSessionEngine({ keys: [OLD], sessions: [Cart] }))
      await before.request((s) => s.set(Cart, { n: 1 }))
      const oldToken = before.cookies.get('cart')!
      expect(oldToken.split('.')[2]).toBe('k1')

      const after = createSessionEngine({ keys: [NEW, OLD], sessions: [Cart] })
      const io = fakeIO({ cookie: `cart=${oldToken}` })
      const sessions = after.open(io.io)
      expect(await sessions.get(Cart)).toEqual({ n: 1 })
      sessions.commit()
      expect(io.setCookies()).toHaveLength(1)
      const fresh = cookiePair(io.setCookies()[0]!).value
      expect(fresh.split('.')[2]).toBe('k2')

      // The re-issued token reads with the new key alone, and is not re-issued again.
      const newOnly = createSessionEngine({ keys: [NEW], sessions: [Cart] })
      const io2 = fakeIO({ cookie: `cart=${fresh}` })
      const again = newOnly.open(io2.io)
      expect(await again.get(Cart)).toEqual({ n: 1 })
      again.commit()
      expect(io2.appended).toEqual([])
    })
  }

  it('a server-stored session of the old key keeps its id and value, with a re-issued token', async () => {
    const Login = defineSession<{ user: string }>()('login', { storage: 'server' })
    const storage = memoryStorage()
    const before = new FakeBrowser(
      createSessionEngine({ keys: [OLD], sessions: [cookie(Login, { storage })] }),
    )
    const { result: id } = await before.request(async (s) => {
      await s.set(Login, { user: 'ada' })
      return s.id(Login)
    })
    const after = new FakeBrowser(
      createSessionEngine({ keys: [NEW, OLD], sessions: [cookie(Login, { storage })] }),
    )
    after.cookies.set('login', before.cookies.get('login')!)
    const { result, io } = await after.request(async (s) => [await s.get(Login), await s.id(Login)])
    expect(result).toEqual([{ user: 'ada' }, id])
    expect(claimsOf(cookiePair(io.setCookies()[0]!).value).kid).toBe('k2')
  })
})

describe('rolling idle expiry', () => {
  const HOUR = 3600

  function setup(expiry: { idle?: string | null; absolute?: string | null }) {
    const clock = fakeClock()
    const Cart = defineSession<{ n: number }>()('cart', { protection: 'signed', expiry: expiry as never })
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Cart], now: clock.now }))
    const read = async () => {
      const { result, io } = await browser.request((s) => s.get(Cart))
      return {
        value: result,
        reissued: io.setCookies().length > 0,
        claims: claimsOf(browser.cookies.get('cart') ?? ''),
      }
    }
    return { clock, Cart, browser, read }
  }

  it('re-issues only past half of the idle time, keeping iat', async () => {
    const { clock, Cart, browser, read } = setup({ idle: '1h' })
    const start = clock.seconds()
    await browser.request((s) => s.set(Cart, { n: 1 }))
    expect(claimsOf(browser.cookies.get('cart')!)).toMatchObject({ iat: start, exp: start + HOUR })

    clock.advance(HOUR / 2) // exactly half left: not yet
    expect(await read()).toMatchObject({ value: { n: 1 }, reissued: false, claims: { exp: start + HOUR } })

    clock.advance(1) // past half: renewed from now, same start
    expect(await read()).toMatchObject({
      value: { n: 1 },
      reissued: true,
      claims: { iat: start, exp: start + HOUR / 2 + 1 + HOUR },
    })
  })

  it('keeps a session alive while it is used, and ends it after an idle hour', async () => {
    const { clock, Cart, browser, read } = setup({ idle: '1h' })
    await browser.request((s) => s.set(Cart, { n: 1 }))
    for (let i = 0; i < 10; i++) {
      clock.advance(40 * 60)
      expect((await read()).value).toEqual({ n: 1 })
    }
    clock.advance(HOUR)
    expect((await read()).value).toBeNull()
  })

  it('caps renewals at the absolute limit, then ends the session', async () => {
    const { clock, Cart, browser, read } = setup({ idle: '1h', absolute: '2h' })
    const start = clock.seconds()
    await browser.request((s) => s.set(Cart, { n: 1 }))
    clock.advance(2000)
    expect((await read()).claims.exp).toBe(start + 2000 + HOUR)
    clock.advance(2000) // at start+4000: renewal capped at start+7200
    expect(await read()).toMatchObject({ reissued: true, claims: { iat: start, exp: start + 2 * HOUR } })
    clock.advance(2000) // at start+6000: nothing to gain, no re-issue
    expect(await read()).toMatchObject({ value: { n: 1 }, reissued: false })
    clock.advance(1200) // at start+7200
    expect((await read()).value).toBeNull()
  })

  it('a set keeps the session start, so the absolute limit holds across writes', async () => {
    const { clock, Cart, browser } = setup({ idle: null, absolute: '1h' })
    const start = clock.seconds()
    await browser.request((s) => s.set(Cart, { n: 1 }))
    clock.advance(1000)
    await browser.request((s) => s.set(Cart, { n: 2 }))
    expect(claimsOf(browser.cookies.get('cart')!)).toMatchObject({ iat: start, exp: start + HOUR })
  })

  it('never re-issues a session without an idle limit', async () => {
    const { clock, Cart, browser, read } = setup({ idle: null })
    await browser.request((s) => s.set(Cart, { n: 1 }))
    expect(claimsOf(browser.cookies.get('cart')!).exp).toBe(0)
    clock.advance(365 * 86_400)
    expect(await read()).toMatchObject({ value: { n: 1 }, reissued: false })
  })

  it('does not re-issue once the response is committed', async () => {
    const { clock, Cart, browser } = setup({ idle: '1h' })
    await browser.request((s) => s.set(Cart, { n: 1 }))
    clock.advance(HOUR - 10)
    const io = fakeIO({ cookie: `cart=${browser.cookies.get('cart')}` })
    const sessions = browser.engine.open(io.io)
    sessions.commit()
    expect(await sessions.get(Cart)).toEqual({ n: 1 })
    expect(io.appended).toEqual([])
  })
})
