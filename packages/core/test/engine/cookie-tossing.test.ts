import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent } from '../../src'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { FakeBrowser, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

/*
 * Cookie tossing (#13, 5): a sibling subdomain, or a page on another path, sets a cookie of the
 * session's name beside the user's own. The request then carries both; the engine uses the first that
 * opens, and clears nothing when more than one came, since its deletion would reach the cookie of the
 * configured path (the user's own) rather than the tossed one.
 */

const Cart = defineSession<{ items: number }>()('cart', { protection: 'signed' })
const Login = defineSession<{ user: string }>()('login', { storage: 'server' })
const Big = defineSession<{ blob: string }>()('big', { protection: 'signed' })

function setup() {
  const events: InvalidSessionEvent[] = []
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Cart), cookie(Login), cookie(Big, { chunking: true })],
    onInvalid: (event) => events.push(event),
  })
  return { engine, events, browser: new FakeBrowser(engine) }
}

/** Reads `descriptor` from a request carrying `cookieHeader`, and commits: the value and what was written. */
async function read(engine: ReturnType<typeof setup>['engine'], cookieHeader: string, descriptor = Cart) {
  const io = fakeIO({ cookie: cookieHeader })
  const sessions = engine.open(io.io)
  const value = await sessions.get(descriptor)
  sessions.commit()
  return { value, setCookies: io.setCookies() }
}

const blob = (length: number) =>
  Array.from({ length }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('')

describe('several cookies of one session name', () => {
  it('uses the first that opens: garbage tossed in front does not sign the user out', async () => {
    const { engine, browser, events } = setup()
    await browser.request((s) => s.set(Cart, { items: 3 }))
    const own = browser.cookies.get('cart')!
    for (const tossed of ['garbage', 'v1.s.0.1800000000.0.e30.AAAA', '']) {
      const { value, setCookies } = await read(engine, `cart=${tossed}; theme=dark; cart=${own}`)
      expect(value, tossed).toEqual({ items: 3 })
      expect(setCookies, tossed).toEqual([])
    }
    expect(events).toEqual([])
  })

  it('reads as absent when none opens, reports the first refusal once, and clears nothing', async () => {
    const { engine, events } = setup()
    const { value, setCookies } = await read(engine, 'cart=garbage; cart=v1.s.0.1.2.abc.def')
    expect(value).toBeNull()
    expect(setCookies).toEqual([])
    expect(events).toEqual([{ session: 'cart', reason: 'MALFORMED' }])
  })

  it('still clears a single invalid cookie, as before', async () => {
    const { engine } = setup()
    const { value, setCookies } = await read(engine, 'cart=garbage')
    expect(value).toBeNull()
    expect(setCookies.map(isClearing)).toEqual([true])
  })

  it('an authentic token tossed in front wins: the limit that __Host- names close', async () => {
    const { engine, browser } = setup()
    await browser.request((s) => s.set(Cart, { items: 1 }))
    const attacker = browser.cookies.get('cart')!
    await browser.request((s) => s.set(Cart, { items: 2 }))
    const victim = browser.cookies.get('cart')!
    expect((await read(engine, `cart=${attacker}; cart=${victim}`)).value).toEqual({ items: 1 })
  })

  it('does the same for a server-stored session, and never clears its cookie when a stored id is gone', async () => {
    const { engine, browser, events } = setup()
    await browser.request((s) => s.set(Login, { user: 'ada' }))
    const own = browser.cookies.get('login')!
    const first = await read(engine, `login=forged; login=${own}`, Login as never)
    expect(first.value).toEqual({ user: 'ada' })
    expect(first.setCookies).toEqual([])
    await browser.request((s) => s.clear(Login))
    const gone = await read(engine, `login=forged; login=${own}`, Login as never)
    expect(gone.value).toBeNull()
    expect(gone.setCookies).toEqual([])
    expect(events.map((event) => event.reason)).toEqual(['NOT_FOUND'])
  })

  it('chunked: tries each head with the first cookie of each chunk name; a tossed chunk reads as absent, nothing cleared', async () => {
    const { engine, browser, events } = setup()
    await browser.request((s) => s.set(Big, { blob: blob(5000) }))
    const own = [...browser.cookies].map(([name, value]) => `${name}=${value}`)
    expect(own.map((pair) => pair.split('=')[0])).toEqual(['big', 'big.1'])
    const head = await read(engine, ['big=garbage', ...own].join('; '), Big as never)
    expect(head.value).toEqual({ blob: blob(5000) })
    expect(head.setCookies).toEqual([])
    const chunk = await read(engine, ['big.1=tossed', ...own].join('; '), Big as never)
    expect(chunk.value).toBeNull()
    expect(chunk.setCookies).toEqual([])
    expect(events.map((event) => event.reason)).toEqual(['MALFORMED'])
  })
})
