import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent, Protection, SessionTransformer } from '../../src'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { FakeBrowser, fakeClock, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

function setup(protection: Protection = 'signed', transformers?: SessionTransformer[]) {
  const clock = fakeClock()
  const events: InvalidSessionEvent[] = []
  const Cart = defineSession<{ items: string[] }>()('cart', {
    protection,
    visibility: protection === 'ed25519' || protection === 'none' ? 'client' : 'server',
    expiry: { idle: '1h' },
  })
  const Login = defineSession<{ items: string[] }>()('login', { protection, visibility: Cart.visibility })
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Cart, { transformers }), Login],
    now: clock.now,
    onInvalid: (event) => events.push(event),
  })
  return { Cart, Login, engine, clock, events }
}

/** Sends `cookie` and reads Cart; returns the value, the Set-Cookie lines and what onInvalid heard. */
async function readWith(env: ReturnType<typeof setup>, cookieHeader: string, descriptor = env.Cart) {
  env.events.length = 0
  const io = fakeIO({ cookie: cookieHeader })
  const sessions = env.engine.open(io.io)
  const value = await sessions.get(descriptor)
  sessions.commit()
  return { value, lines: io.setCookies(), events: [...env.events] }
}

async function tokenOf(env: ReturnType<typeof setup>, descriptor = env.Cart) {
  const browser = new FakeBrowser(env.engine)
  await browser.request((s) => s.set(descriptor, { items: ['a'] }))
  return browser.cookies.get(descriptor.name)!
}

describe('invalid incoming sessions read as absent, are reported, and their cookie is cleared', () => {
  for (const protection of ['signed', 'ed25519', 'sealed'] as const) {
    describe(protection, () => {
      it('a tampered token: SIGNATURE_INVALID', async () => {
        const env = setup(protection)
        const token = await tokenOf(env)
        const at = protection === 'sealed' ? token.length - 10 : token.lastIndexOf('.') - 3
        const tampered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
        const { value, lines, events } = await readWith(env, `cart=${tampered}`)
        expect(value).toBeNull()
        expect(events).toEqual([{ session: 'cart', reason: 'SIGNATURE_INVALID' }])
        expect(lines.map(isClearing)).toEqual([true])
      })

      it('an expired token: EXPIRED', async () => {
        const env = setup(protection)
        const token = await tokenOf(env)
        env.clock.advance(3600)
        const { value, lines, events } = await readWith(env, `cart=${token}`)
        expect(value).toBeNull()
        expect(events).toEqual([{ session: 'cart', reason: 'EXPIRED' }])
        expect(lines.map(isClearing)).toEqual([true])
      })

      it("another session's token: SIGNATURE_INVALID", async () => {
        const env = setup(protection)
        const token = await tokenOf(env, env.Login)
        const { value, lines, events } = await readWith(env, `cart=${token}`)
        expect(value).toBeNull()
        expect(events).toEqual([{ session: 'cart', reason: 'SIGNATURE_INVALID' }])
        expect(lines.map(isClearing)).toEqual([true])
      })

      it('a token of another secret: SIGNATURE_INVALID, or UNKNOWN_KEY for another key id', async () => {
        const env = setup(protection)
        const other = createSessionEngine({ secret: `${SECRET}, but another one`, sessions: [env.Cart] })
        const browser = new FakeBrowser(other)
        await browser.request((s) => s.set(env.Cart, { items: ['a'] }))
        const token = browser.cookies.get('cart')!
        expect((await readWith(env, `cart=${token}`)).events).toEqual([
          { session: 'cart', reason: 'SIGNATURE_INVALID' },
        ])
        const rotated = createSessionEngine({ keys: [{ id: 'k9', secret: SECRET }], sessions: [env.Cart] })
        const b2 = new FakeBrowser(rotated)
        await b2.request((s) => s.set(env.Cart, { items: ['a'] }))
        expect((await readWith(env, `cart=${b2.cookies.get('cart')}`)).events).toEqual([
          { session: 'cart', reason: 'UNKNOWN_KEY' },
        ])
      })
    })
  }

  it('garbage, Ktor-style signatures and other versions: MALFORMED', async () => {
    const env = setup('signed')
    for (const garbage of ['abc', 'abc/abc:abc', 'v2.s.0.1.2.e30.x', '%%%', 'v1.s.0', '"quoted"']) {
      const { value, lines, events } = await readWith(env, `cart=${garbage}`)
      expect(value, garbage).toBeNull()
      expect(events).toEqual([{ session: 'cart', reason: 'MALFORMED' }])
      expect(lines.map(isClearing)).toEqual([true])
    }
  })

  it('a token of a weaker protection: WRONG_PROTECTION (no downgrade)', async () => {
    const env = setup('sealed')
    const weak = setup('none')
    const token = await tokenOf(weak)
    const { value, events } = await readWith(env, `cart=${token}`)
    expect(value).toBeNull()
    expect(events).toEqual([{ session: 'cart', reason: 'WRONG_PROTECTION' }])
  })

  it('a value that does not decode: DECODE_FAILED', async () => {
    const env = setup('none')
    const body = btoa('{"not":"superjson"}').replace(/=+$/, '')
    const { value, events, lines } = await readWith(env, `cart=v1.n.1.0.${body}`)
    expect(value).toBeNull()
    expect(events).toEqual([{ session: 'cart', reason: 'DECODE_FAILED' }])
    expect(lines.map(isClearing)).toEqual([true])
  })

  it('a payload whose value is null: DECODE_FAILED, never a null that looks like "unset"', async () => {
    const env = setup('none')
    const body = btoa('{"json":null}').replace(/=+$/, '')
    const { value, events } = await readWith(env, `cart=v1.n.1.0.${body}`)
    expect(value).toBeNull()
    expect(events).toEqual([{ session: 'cart', reason: 'DECODE_FAILED' }])
  })

  it('a payload whose value is undefined (superjson writes it with a meta part): DECODE_FAILED', async () => {
    const env = setup('none')
    const body = btoa('{"json":null,"meta":{"values":["undefined"],"v":1}}').replace(/=+$/, '')
    const { value, events, lines } = await readWith(env, `cart=v1.n.1.0.${body}`)
    expect(value).toBeNull()
    expect(events).toEqual([{ session: 'cart', reason: 'DECODE_FAILED' }])
    expect(lines.map(isClearing)).toEqual([true])
  })

  it('a prototype-poisoning payload in a browser-owned session: DECODE_FAILED', async () => {
    const env = setup('none')
    const body = btoa('{"json":{"items":[],"__proto__":{"admin":true}}}').replace(/=+$/, '')
    const { value, events } = await readWith(env, `cart=v1.n.1.0.${body}`)
    expect(value).toBeNull()
    expect(events).toEqual([{ session: 'cart', reason: 'DECODE_FAILED' }])
  })

  it('a transformer that refuses on read: TRANSFORM_FAILED', async () => {
    const strict: SessionTransformer = {
      write: (t) => `ok:${t}`,
      read: (t) => (t.startsWith('ok:') ? t.slice(3) : null),
    }
    const env = setup('signed', [strict])
    const token = await tokenOf(env)
    expect((await readWith(env, `cart=${token}`)).value).toEqual({ items: ['a'] })
    const plain = setup('signed')
    const untransformed = await tokenOf(plain)
    const { value, events, lines } = await readWith(env, `cart=${untransformed}`)
    expect(value).toBeNull()
    expect(events).toEqual([{ session: 'cart', reason: 'TRANSFORM_FAILED' }])
    expect(lines.map(isClearing)).toEqual([true])
  })

  it('a value set after a bad token replaces the clearing cookie', async () => {
    const env = setup('signed')
    const io = fakeIO({ cookie: 'cart=garbage' })
    const sessions = env.engine.open(io.io)
    await sessions.set(env.Cart, { items: ['fresh'] })
    sessions.commit()
    expect(io.setCookies()).toHaveLength(1)
    expect(isClearing(io.setCookies()[0]!)).toBe(false)
  })

  it('an empty cookie value counts as no cookie', async () => {
    const env = setup('signed')
    const { value, events, lines } = await readWith(env, 'cart=')
    expect(value).toBeNull()
    expect(events).toEqual([])
    expect(lines).toEqual([])
  })

  it('onInvalid never sees the token', async () => {
    const env = setup('signed')
    const token = await tokenOf(env)
    env.clock.advance(3600)
    const { events } = await readWith(env, `cart=${token}`)
    expect(JSON.stringify(events)).not.toContain(token.slice(5, 20))
    expect(Object.keys(events[0]!).sort()).toEqual(['reason', 'session'])
  })
})
