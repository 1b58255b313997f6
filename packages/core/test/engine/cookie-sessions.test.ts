import { describe, expect, it } from 'vitest'
import type { SessionCodec, SessionTransformer } from '../../src'
import { cookie, createSessionEngine, defineSession, isSessionError, jsonCodec } from '../../src'
import { decodeBase64url } from '../../src/internal'
import { cookiePair, FakeBrowser, fakeClock, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

const Cart = defineSession<{ items: string[]; at?: Date }>()('cart')

function setup(options: Parameters<typeof cookie>[1] = {}) {
  const clock = fakeClock()
  const engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Cart, options)], now: clock.now })
  return { clock, engine, browser: new FakeBrowser(engine) }
}

describe('cookie sessions', () => {
  it('load lazily: nothing is read before get, and an untouched request writes nothing', async () => {
    const { engine, browser } = setup()
    await browser.request((s) => s.set(Cart, { items: ['a'] }))
    const io = fakeIO({ cookie: `cart=${browser.cookies.get('cart')}` })
    const sessions = engine.open(io.io)
    expect(io.reads).toEqual([])
    sessions.commit()
    expect(io.reads).toEqual([])
    expect(io.appended).toEqual([])
    expect(io.headers.size).toBe(0)
  })

  it('read the cookie header on get, once', async () => {
    const { engine, browser } = setup()
    await browser.request((s) => s.set(Cart, { items: ['a'] }))
    const io = fakeIO({ cookie: `other=1; cart=${browser.cookies.get('cart')}` })
    const sessions = engine.open(io.io)
    expect(await sessions.get(Cart)).toEqual({ items: ['a'] })
    expect(await sessions.get(Cart)).toEqual({ items: ['a'] })
    expect(io.reads).toEqual(['cookie'])
    sessions.commit()
    expect(io.appended).toEqual([]) // read only: no Set-Cookie
  })

  it('get is null when the session is unset', async () => {
    const { browser } = setup()
    const { result, io } = await browser.request((s) => s.get(Cart))
    expect(result).toBeNull()
    expect(io.appended).toEqual([])
  })

  it('set creates the session, and a later request reads it with its types intact', async () => {
    const { browser } = setup()
    const at = new Date(Date.UTC(2027, 0, 1))
    const { io } = await browser.request(async (s) => {
      await s.set(Cart, { items: ['a'], at })
      expect(await s.get(Cart)).toEqual({ items: ['a'], at })
    })
    expect(io.setCookies()).toHaveLength(1)
    expect(cookiePair(io.setCookies()[0]!).value).toMatch(/^v1\.x\.0\./)
    const { result } = await browser.request((s) => s.get(Cart))
    expect(result).toEqual({ items: ['a'], at })
    expect(result?.at).toBeInstanceOf(Date)
  })

  for (const protection of ['none', 'signed', 'ed25519', 'sealed'] as const) {
    it(`round-trips a value with a Date under protection ${protection}`, async () => {
      const visibility = protection === 'ed25519' || protection === 'none' ? 'client' : 'server'
      const S = defineSession<{ a: number; d: Date }>()('s', { protection, visibility })
      const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [S] }))
      await browser.request((s) => s.set(S, { a: 1, d: new Date(5) }))
      expect(browser.cookies.get('s')).toMatch(
        new RegExp(`^v1\\.${{ none: 'n', signed: 's', ed25519: 'e', sealed: 'x' }[protection]}\\.`),
      )
      expect((await browser.request((s) => s.get(S))).result).toEqual({ a: 1, d: new Date(5) })
    })
  }

  it('set replaces the session; the last set of a request wins', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Cart, { items: ['a'] }))
    const { io } = await browser.request(async (s) => {
      await s.set(Cart, { items: ['b'] })
      await s.set(Cart, { items: ['c'] })
    })
    expect(io.setCookies()).toHaveLength(1)
    expect((await browser.request((s) => s.get(Cart))).result).toEqual({ items: ['c'] })
  })

  it('writes Max-Age from the session expiry, the default attributes, and Secure on https', async () => {
    const { browser, clock } = setup()
    const { io } = await browser.request((s) => s.set(Cart, { items: [] }), { secure: true })
    const line = io.setCookies()[0]!
    const expires = new Date((clock.seconds() + 604_800) * 1000).toUTCString()
    expect(line).toMatch(
      new RegExp(`; Max-Age=604800; Expires=${expires}; Path=/; HttpOnly; SameSite=Lax; Secure$`),
    )
    const plain = await browser.request((s) => s.set(Cart, { items: ['x'] }))
    expect(plain.io.setCookies()[0]).not.toContain('Secure')
  })

  it('honours maxAge: a duration, null for a browser-session cookie, and the cookie settings', async () => {
    const days = setup({ maxAge: '1d', domain: 'example.com', path: '/shop', sameSite: 'strict' })
    const line = (await days.browser.request((s) => s.set(Cart, { items: [] }))).io.setCookies()[0]!
    expect(line).toContain('; Max-Age=86400; ')
    expect(line).toContain('; Domain=example.com; Path=/shop; HttpOnly; SameSite=Strict')
    const session = setup({ maxAge: null })
    const bare = (await session.browser.request((s) => s.set(Cart, { items: [] }))).io.setCookies()[0]!
    expect(bare).not.toMatch(/Max-Age|Expires/)
  })

  it('round-trips through the uri and base64url cookie encodings', async () => {
    for (const encoding of ['uri', 'base64url'] as const) {
      const { browser } = setup({ encoding })
      await browser.request((s) => s.set(Cart, { items: ['é'] }))
      if (encoding === 'base64url') expect(browser.cookies.get('cart')).not.toContain('.')
      expect((await browser.request((s) => s.get(Cart))).result).toEqual({ items: ['é'] })
    }
  })

  it('a browser-visible session is not HttpOnly', async () => {
    const Prefs = defineSession<{ theme: string }>()('prefs', { visibility: 'client' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Prefs] })
    const { io } = await new FakeBrowser(engine).request((s) => s.set(Prefs, { theme: 'dark' }))
    expect(io.setCookies()[0]).not.toContain('HttpOnly')
    expect(cookiePair(io.setCookies()[0]!).value).toMatch(/^v1\.e\.0\./)
  })

  describe('clear', () => {
    it('writes an expiring cookie when the request carried one, and the session is gone', async () => {
      const { browser } = setup()
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      const { io } = await browser.request(async (s) => {
        await s.clear(Cart)
        expect(await s.get(Cart)).toBeNull()
      })
      expect(io.setCookies()).toHaveLength(1)
      const line = io.setCookies()[0]!
      expect(isClearing(line)).toBe(true)
      expect(line).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax')
      expect(browser.cookies.has('cart')).toBe(false)
    })

    it('clears after a get, too', async () => {
      const { browser } = setup()
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      const { io } = await browser.request(async (s) => {
        await s.get(Cart)
        await s.clear(Cart)
      })
      expect(io.setCookies().map(isClearing)).toEqual([true])
    })

    it('writes nothing when the request carried no cookie', async () => {
      const { browser } = setup()
      const { io } = await browser.request((s) => s.clear(Cart))
      expect(io.appended).toEqual([])
    })

    it('set then clear in one request writes nothing for a request without a cookie', async () => {
      const { browser } = setup()
      const { io } = await browser.request(async (s) => {
        await s.set(Cart, { items: ['a'] })
        await s.clear(Cart)
      })
      expect(io.appended).toEqual([])
    })

    it('set then clear in one request clears a cookie the request carried', async () => {
      const { browser } = setup()
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      const { io } = await browser.request(async (s) => {
        await s.set(Cart, { items: ['b'] })
        await s.clear(Cart)
      })
      expect(io.setCookies().map(isClearing)).toEqual([true])
    })

    it('clear then set writes the new value', async () => {
      const { browser } = setup()
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      await browser.request(async (s) => {
        await s.clear(Cart)
        await s.set(Cart, { items: ['b'] })
      })
      expect((await browser.request((s) => s.get(Cart))).result).toEqual({ items: ['b'] })
    })
  })

  describe('skipEqualWrites', () => {
    it('skips a set of the value that was read (default)', async () => {
      const { browser } = setup()
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      const { io } = await browser.request(async (s) => s.set(Cart, { items: ['a'] }))
      expect(io.appended).toEqual([])
    })

    it('writes a value mutated in place', async () => {
      const { browser } = setup()
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      const { io } = await browser.request(async (s) => {
        const cart = (await s.get(Cart))!
        cart.items.push('b')
        await s.set(Cart, cart)
      })
      expect(io.setCookies()).toHaveLength(1)
      expect((await browser.request((s) => s.get(Cart))).result).toEqual({ items: ['a', 'b'] })
    })

    it('writes every set when turned off', async () => {
      const { browser } = setup({ skipEqualWrites: false })
      await browser.request((s) => s.set(Cart, { items: ['a'] }))
      const { io } = await browser.request(async (s) => s.set(Cart, { items: ['a'] }))
      expect(io.setCookies()).toHaveLength(1)
    })
  })

  it('refuses set(null) and set(undefined) with INVALID_VALUE', async () => {
    const { browser } = setup()
    await browser.request(async (s) => {
      for (const value of [null, undefined]) {
        await expect(s.set(Cart, value as never)).rejects.toMatchObject({
          code: 'INVALID_VALUE',
          session: 'cart',
        })
      }
    })
  })

  it('refuses set and clear after commit() and once headers are sent: RESPONSE_COMMITTED', async () => {
    const { engine } = setup()
    const committed = fakeIO()
    const sessions = engine.open(committed.io)
    sessions.commit()
    await expect(sessions.set(Cart, { items: [] })).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })
    await expect(sessions.clear(Cart)).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })

    const sent = fakeIO()
    const late = engine.open(sent.io)
    sent.send()
    await expect(late.set(Cart, { items: [] })).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })
    await expect(late.clear(Cart)).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })
    await expect(late.regenerate(Cart)).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })
    expect(await late.get(Cart)).toBeNull() // reading stays allowed
  })

  it('a second commit() writes nothing more', async () => {
    const { engine } = setup()
    const io = fakeIO()
    const sessions = engine.open(io.io)
    await sessions.set(Cart, { items: [] })
    sessions.commit()
    sessions.commit()
    expect(io.setCookies()).toHaveLength(1)
  })

  it('refuses a value whose cookie would pass 4096 bytes with TOO_LARGE, naming no value', async () => {
    const { browser } = setup()
    const big = 'x'.repeat(5000)
    const { io } = await browser.request(async (s) => {
      const error = await s.set(Cart, { items: [big] }).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'TOO_LARGE')).toBe(true)
      expect((error as Error).message).not.toContain('xxxx')
      expect(await s.get(Cart)).toBeNull()
      await s.set(Cart, { items: ['x'.repeat(2500)] }) // fits
    })
    expect(io.setCookies()).toHaveLength(1)
    expect(cookiePair(io.setCookies()[0]!).value.length + 'cart='.length).toBeLessThanOrEqual(4096)
  })

  it('wraps a codec failure in ENCODE_FAILED without the value', async () => {
    const Strict = defineSession<{ n: bigint }>()('strict', { codec: jsonCodec })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Strict] })
    const sessions = engine.open(fakeIO().io)
    const error = await sessions.set(Strict, { n: 12345678901234567890n }).catch((caught: unknown) => caught)
    expect(isSessionError(error, 'ENCODE_FAILED')).toBe(true)
    expect((error as Error).message).not.toContain('1234567890')
    expect(String((error as Error).cause)).not.toContain('1234567890')
  })

  it('refuses a value with a key superjson refuses (constructor, prototype) with ENCODE_FAILED', async () => {
    const Loose = defineSession<Record<string, unknown>>()('loose')
    const sessions = createSessionEngine({ secret: SECRET, sessions: [Loose] }).open(fakeIO().io)
    for (const value of [{ constructor: 'x' }, { a: [{ prototype: 1 }] }]) {
      await expect(sessions.set(Loose, value)).rejects.toMatchObject({ code: 'ENCODE_FAILED' })
    }
  })

  it('applies transformers in order on write and in reverse on read, to the value or to the id', async () => {
    const log: string[] = []
    const tag = (name: string): SessionTransformer => ({
      write: (text) => {
        log.push(`write ${name}`)
        return `${name}(${text})`
      },
      read: (text) => {
        log.push(`read ${name}`)
        return text.startsWith(`${name}(`) && text.endsWith(')') ? text.slice(name.length + 1, -1) : null
      },
    })
    const transformers = [tag('a'), tag('b')]
    const Login = defineSession<{ user: string }>()('login', { storage: 'server', protection: 'none' })
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Cart, { transformers }), cookie(Login, { transformers })],
    })
    const browser = new FakeBrowser(engine)
    await browser.request(async (s) => {
      await s.set(Cart, { items: ['x'] })
      await s.set(Login, { user: 'ada' })
    })
    expect(log).toEqual(['write a', 'write b', 'write a', 'write b'])
    const loginBody = browser.cookies.get('login')!.split('.')[4]!
    const id = new TextDecoder().decode(decodeBase64url(loginBody)!)
    expect(id).toMatch(/^b\(a\([A-Za-z0-9_-]{22}\)\)$/)
    log.length = 0
    const { result } = await browser.request(async (s) => [await s.get(Cart), await s.get(Login)])
    expect(result).toEqual([{ items: ['x'] }, { user: 'ada' }])
    expect(log).toEqual(['read b', 'read a', 'read b', 'read a'])
  })

  it('update works on client-stored sessions and returns the new value', async () => {
    const { browser } = setup()
    const first = await browser.request((s) =>
      s.update(Cart, (cart) => ({ items: [...(cart?.items ?? []), 'a'] })),
    )
    expect(first.result).toEqual({ items: ['a'] })
    const second = await browser.request((s) =>
      s.update(Cart, (cart) => ({ items: [...(cart?.items ?? []), 'b'] })),
    )
    expect(second.result).toEqual({ items: ['a', 'b'] })
  })

  it('id() is null for a client-stored session', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Cart, { items: [] }))
    expect((await browser.request((s) => s.id(Cart))).result).toBeNull()
  })

  it('runs async codecs', async () => {
    const slow: SessionCodec<string> = {
      name: 'slow',
      encode: async (value) => JSON.stringify(value),
      decode: async (text) => JSON.parse(text),
    }
    const Note = defineSession<string>()('note', { codec: slow })
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Note] }))
    await browser.request((s) => s.set(Note, 'hello'))
    expect((await browser.request((s) => s.get(Note))).result).toBe('hello')
  })

  it('getOrSet returns the value, or stores init() when there is none', async () => {
    const { browser } = setup()
    const first = await browser.request((s) => s.getOrSet(Cart, () => ({ items: ['new'] })))
    expect(first.result).toEqual({ items: ['new'] })
    expect(first.io.setCookies()).toHaveLength(1)
    const second = await browser.request((s) => s.getOrSet(Cart, () => ({ items: ['other'] })))
    expect(second.result).toEqual({ items: ['new'] })
    expect(second.io.appended).toEqual([])
  })

  it('regenerate gives a client-stored session a new lifetime; it does nothing without a session', async () => {
    const { browser, clock } = setup()
    await browser.request((s) => s.set(Cart, { items: ['a'] }))
    const before = browser.cookies.get('cart')!
    clock.advance(60)
    const none = await new FakeBrowser(browser.engine).request((s) => s.regenerate(Cart))
    expect(none.io.appended).toEqual([])
    await browser.request((s) => s.regenerate(Cart))
    const after = browser.cookies.get('cart')!
    expect(after).not.toBe(before)
    expect((await browser.request((s) => s.get(Cart))).result).toEqual({ items: ['a'] })
  })

  it('keeps several sessions apart in one request', async () => {
    const Prefs = defineSession<{ theme: string }>()('prefs', { protection: 'signed' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Cart, cookie(Prefs, { maxAge: '30d' })] })
    const browser = new FakeBrowser(engine)
    const { io } = await browser.request(async (s) => {
      await s.set(Cart, { items: ['a'] })
      await s.set(Prefs, { theme: 'dark' })
    })
    expect(io.setCookies().map((line) => cookiePair(line).name)).toEqual(['cart', 'prefs'])
    const { result } = await browser.request(async (s) => [await s.get(Cart), await s.get(Prefs)])
    expect(result).toEqual([{ items: ['a'] }, { theme: 'dark' }])
  })
})
