import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent, RequestSessions } from '../../src'
import { cookie, createSessionEngine, defineSession, isSessionError, memoryStorage } from '../../src'
import { decodeBase64url, SESSION_ID } from '../../src/internal'
import { countingStorage } from '../helpers/counting-storage'
import { cookiePair, FakeBrowser, fakeClock, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

const Login = defineSession<{ user: string; n: number }>()('login', {
  storage: 'server',
  expiry: { idle: '1h' },
})

function setup(options: Parameters<typeof cookie<typeof Login>>[1] = {}) {
  const clock = fakeClock()
  const counted = countingStorage({ now: clock.now })
  const events: InvalidSessionEvent[] = []
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Login, { storage: counted.storage, ...options })],
    now: clock.now,
    onInvalid: (event) => events.push(event),
  })
  return { ...counted, clock, engine, events, browser: new FakeBrowser(engine) }
}

/** The payload of a signed token: for a server-stored session, the id. */
const payloadOf = (token: string) => new TextDecoder().decode(decodeBase64url(token.split('.')[5]!)!)

async function idOf(sessions: RequestSessions) {
  return (await sessions.id(Login))!
}

describe('server-stored sessions', () => {
  it('send only the id; the value lives in the storage', async () => {
    const env = setup()
    const { result: id } = await env.browser.request(async (s) => {
      await s.set(Login, { user: 'ada', n: 1 })
      return idOf(s)
    })
    expect(id).toMatch(SESSION_ID)
    expect(id).toHaveLength(22)
    const token = env.browser.cookies.get('login')!
    expect(token).toMatch(/^v1\.s\.0\./)
    expect(payloadOf(token)).toBe(id)
    // The engine's entry: the session's start and last write on a line of its own, then the codec's text.
    expect(await env.storage.read(id)).toMatchObject({
      data: '{"tessera":"entry/1","iat":1800000000,"seen":1800000000}\n{"json":{"user":"ada","n":1}}',
      version: 1,
    })
    expect((await env.browser.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 1 })
  })

  it('cost no storage call when untouched, one read to get, one write to change, none for an equal set', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    env.reset()
    await env.browser.request(() => undefined)
    expect(env.calls).toEqual({ read: 0, write: 0, invalidate: 0, invalidateOwner: 0 })
    await env.browser.request(async (s) => {
      await s.get(Login)
      await s.get(Login)
    })
    expect(env.calls).toEqual({ read: 1, write: 0, invalidate: 0, invalidateOwner: 0 })
    env.reset()
    const same = await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    expect(env.calls).toEqual({ read: 1, write: 0, invalidate: 0, invalidateOwner: 0 })
    expect(same.io.appended).toEqual([])
    env.reset()
    const changed = await env.browser.request((s) => s.set(Login, { user: 'ada', n: 2 }))
    expect(env.calls).toEqual({ read: 1, write: 1, invalidate: 0, invalidateOwner: 0 })
    expect(changed.io.appended).toEqual([]) // the id did not change: no new cookie
  })

  it('never asks the storage about a token that does not verify', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    const token = env.browser.cookies.get('login')!
    env.reset()
    const forged = `${token.slice(0, -4)}AAAA`
    const sessions = env.engine.open(fakeIO({ cookie: `login=${forged}` }).io)
    expect(await sessions.get(Login)).toBeNull()
    expect(env.calls.read).toBe(0)
  })

  it('an unknown id reads as absent (NOT_FOUND), its cookie is cleared, and set starts a new id', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    const token = env.browser.cookies.get('login')!
    await env.storage.invalidate(payloadOf(token))
    const io = fakeIO({ cookie: `login=${token}` })
    const sessions = env.engine.open(io.io)
    expect(await sessions.get(Login)).toBeNull()
    expect(env.events).toEqual([{ session: 'login', reason: 'NOT_FOUND' }])
    sessions.commit()
    expect(io.setCookies().map(isClearing)).toEqual([true])

    const again = await env.browser.request(async (s) => {
      await s.set(Login, { user: 'bob', n: 1 })
      return idOf(s)
    })
    expect(again.result).not.toBe(payloadOf(token))
    expect(payloadOf(env.browser.cookies.get('login')!)).toBe(again.result)
  })

  it('stores the entry with the session idle time as its TTL', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    const id = payloadOf(env.browser.cookies.get('login')!)
    expect((await env.storage.read(id))?.expiresAt).toBe(env.clock.now() + 3600 * 1000)
    env.clock.advance(3600)
    expect(await env.storage.read(id)).toBeNull()
    expect((await env.browser.request((s) => s.get(Login))).result).toBeNull()
    expect(env.events).toEqual([{ session: 'login', reason: 'EXPIRED' }])
  })

  it('regenerate moves the session to a new id and invalidates the old one', async () => {
    const env = setup()
    const first = (
      await env.browser.request(async (s) => {
        await s.set(Login, { user: 'ada', n: 1 })
        return idOf(s)
      })
    ).result
    const oldToken = env.browser.cookies.get('login')!
    const { result: second, io } = await env.browser.request(async (s) => {
      await s.regenerate(Login)
      expect(await s.get(Login)).toEqual({ user: 'ada', n: 1 })
      return idOf(s)
    })
    expect(second).not.toBe(first)
    expect(io.setCookies()).toHaveLength(1)
    expect(payloadOf(env.browser.cookies.get('login')!)).toBe(second)
    expect(await env.storage.read(first)).toBeNull()
    expect((await env.storage.read(second))?.data).toBe(
      '{"tessera":"entry/1","iat":1800000000,"seen":1800000000}\n{"json":{"user":"ada","n":1}}',
    )
    const stale = env.engine.open(fakeIO({ cookie: `login=${oldToken}` }).io)
    expect(await stale.get(Login)).toBeNull()
  })

  it('clear removes the stored entry without reading it, and clears the cookie', async () => {
    const env = setup()
    await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    env.reset()
    const { io } = await env.browser.request((s) => s.clear(Login))
    expect(env.calls).toMatchObject({ read: 0, invalidate: 1 })
    expect(env.storage.size).toBe(0)
    expect(io.setCookies().map(isClearing)).toEqual([true])
  })

  it('set then clear in a request without a cookie leaves neither an entry nor a cookie', async () => {
    const env = setup()
    const { io } = await env.browser.request(async (s) => {
      await s.set(Login, { user: 'ada', n: 1 })
      await s.clear(Login)
    })
    expect(env.storage.size).toBe(0)
    expect(io.appended).toEqual([])
  })

  describe('concurrency', () => {
    it('update re-applies its function when another request wrote in between', async () => {
      const env = setup()
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      const calls: number[] = []
      const { result } = await env.browser.request(async (s) =>
        s.update(Login, async (current) => {
          calls.push(current!.n)
          if (calls.length === 1) {
            // A concurrent request increments first.
            await env.browser.request((other) => other.update(Login, (c) => ({ ...c!, n: c!.n + 1 })))
          }
          return { ...current!, n: current!.n + 1 }
        }),
      )
      expect(calls).toEqual([0, 1])
      expect(result).toEqual({ user: 'ada', n: 2 })
      expect((await env.browser.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 2 })
    })

    it('set without merge refuses to overwrite a concurrent change: CONFLICT', async () => {
      const env = setup()
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      const slow = env.engine.open(fakeIO({ cookie: `login=${env.browser.cookies.get('login')}` }).io)
      expect(await slow.get(Login)).toEqual({ user: 'ada', n: 0 })
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 5 }))
      const error = await slow.set(Login, { user: 'ada', n: 1 }).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'CONFLICT')).toBe(true)
      expect((await env.browser.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 5 })
    })

    it('update gives up with CONFLICT after maxRetries', async () => {
      const env = setup({ maxRetries: 3 })
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      let attempts = 0
      const error = await env.browser
        .request((s) =>
          s.update(Login, async (current) => {
            attempts++
            await env.browser.request((other) => other.update(Login, (c) => ({ ...c!, n: c!.n + 100 })))
            return { ...current!, n: current!.n + 1 }
          }),
        )
        .catch((caught: unknown) => caught)
      expect(isSessionError(error, 'CONFLICT')).toBe(true)
      expect(attempts).toBe(3)
    })

    it('merge resolves a conflict, and the request sees the merged value', async () => {
      const env = setup({
        merge: (mine, theirs) => ({ user: mine.user, n: Math.max(mine.n, theirs?.n ?? 0) + 10 }),
      })
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      const slowIO = fakeIO({ cookie: `login=${env.browser.cookies.get('login')}` })
      const slow = env.engine.open(slowIO.io)
      await slow.get(Login)
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 5 }))
      await slow.set(Login, { user: 'ada', n: 1 })
      expect(await slow.get(Login)).toEqual({ user: 'ada', n: 15 })
      expect((await env.browser.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 15 })
      // Setting the merged value again is an equal write: skipped.
      env.reset()
      await slow.set(Login, { user: 'ada', n: 15 })
      expect(env.calls.write).toBe(0)
    })

    it('update returns what was stored when merge changed it', async () => {
      const env = setup({ merge: (mine, theirs) => ({ user: mine.user, n: mine.n + (theirs?.n ?? 0) }) })
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
      const { result } = await env.browser.request((s) =>
        s.update(Login, async (current) => {
          await env.browser.request((other) => other.set(Login, { user: 'ada', n: 10 }))
          return { ...current!, n: current!.n + 1 }
        }),
      )
      expect(result).toEqual({ user: 'ada', n: 12 })
    })

    it('merge never brings back a session that was signed out meanwhile: CONFLICT, nothing stored', async () => {
      const env = setup({ merge: (mine) => mine })
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      const oldToken = env.browser.cookies.get('login')!
      const oldId = payloadOf(oldToken)
      const slow = env.engine.open(fakeIO({ cookie: `login=${oldToken}` }).io)
      await slow.get(Login)
      await env.engine.invalidate(Login, oldId) // signed out meanwhile
      env.reset()
      await expect(slow.set(Login, { user: 'ada', n: 1 })).rejects.toMatchObject({ code: 'CONFLICT' })
      expect(await env.storage.read(oldId)).toBeNull()
      expect(env.calls.write).toBe(1)
      expect(await env.engine.open(fakeIO({ cookie: `login=${oldToken}` }).io).get(Login)).toBeNull()
    })

    it('a merge result must be a value (INVALID_VALUE otherwise)', async () => {
      const env = setup({ merge: () => null as never })
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      const slow = env.engine.open(fakeIO({ cookie: `login=${env.browser.cookies.get('login')}` }).io)
      await slow.get(Login)
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 5 }))
      await expect(slow.set(Login, { user: 'ada', n: 1 })).rejects.toMatchObject({ code: 'INVALID_VALUE' })
    })

    it('update after another request ended the session starts a new one instead of failing', async () => {
      const env = setup()
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 0 }))
      const oldId = payloadOf(env.browser.cookies.get('login')!)
      const { result } = await env.browser.request((s) =>
        s.update(Login, async (current) => {
          if (current) await env.storage.invalidate(oldId)
          return { user: 'ada', n: (current?.n ?? 100) + 1 }
        }),
      )
      expect(result).toEqual({ user: 'ada', n: 101 })
      const newId = payloadOf(env.browser.cookies.get('login')!)
      expect(newId).not.toBe(oldId)
      expect((await env.storage.read(newId))?.data).toBe(
        '{"tessera":"entry/1","iat":1800000000,"seen":1800000000}\n{"json":{"user":"ada","n":101}}',
      )
    })
  })

  describe('storage failures', () => {
    const leaky = (method: string, id: string) => new Error(`redis ${method} failed for key sess:${id}`)

    it('become STORAGE_UNAVAILABLE whose message holds no id, with the cause kept', async () => {
      const env = setup()
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
      const id = payloadOf(env.browser.cookies.get('login')!)
      env.fail(leaky)
      for (const action of [
        (s: RequestSessions) => s.get(Login),
        (s: RequestSessions) => s.clear(Login),
        (s: RequestSessions) =>
          new FakeBrowser(env.engine).request((fresh) => fresh.set(Login, { user: 'x', n: 1 })).then(() => s),
      ]) {
        const sessions = env.engine.open(fakeIO({ cookie: `login=${env.browser.cookies.get('login')}` }).io)
        const error = await Promise.resolve(action(sessions)).catch((caught: unknown) => caught)
        expect(isSessionError(error, 'STORAGE_UNAVAILABLE')).toBe(true)
        expect((error as Error).message).not.toContain(id)
        expect((error as Error).message).toContain('"login"')
        expect(((error as Error).cause as Error).message).toContain('redis')
      }
    })

    it('engine.invalidate and invalidateOwner reject with STORAGE_UNAVAILABLE too', async () => {
      const env = setup()
      env.fail(leaky)
      const id = 'abcdefghijklmnop'
      const error = await env.engine.invalidate(Login, id).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'STORAGE_UNAVAILABLE')).toBe(true)
      expect((error as Error).message).not.toContain(id)
      const owner = await env.engine
        .invalidateOwner(Login, 'ada@example.com')
        .catch((caught: unknown) => caught)
      expect(isSessionError(owner, 'STORAGE_UNAVAILABLE')).toBe(true)
      expect((owner as Error).message).not.toContain('ada@example.com')
    })

    it('a failed rolling renewal does not fail the read', async () => {
      const env = setup()
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
      env.clock.advance(3000)
      const inner = env.storage.write
      env.storage.write = async () => {
        throw new Error('down')
      }
      expect((await env.browser.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 1 })
      env.storage.write = inner
    })

    it('a rolling renewal that another request overtook issues no token, and a later set conflicts', async () => {
      const env = setup()
      await env.browser.request((s) => s.set(Login, { user: 'ada', n: 1 }))
      const id = payloadOf(env.browser.cookies.get('login')!)
      env.clock.advance(3000) // past half of the idle hour: a read renews
      const calm = await env.browser.request((s) => s.get(Login))
      expect(calm.result).toEqual({ user: 'ada', n: 1 })
      expect(calm.io.setCookies()).toHaveLength(1) // renewed: nobody wrote in between
      env.clock.advance(3000)
      // This time another request writes between this one's read and its renewal.
      const inner = env.storage.read
      env.storage.read = async (key) => {
        const record = await inner(key)
        await env.storage.write(key, '{"json":{"user":"ada","n":2}}', { ttl: 3_600_000 })
        return record
      }
      const raced = await env.browser.request(async (s) => {
        const value = await s.get(Login)
        const write = await Promise.resolve(s.set(Login, { user: 'ada', n: 9 })).catch(
          (caught: unknown) => caught,
        )
        return { value, write }
      })
      env.storage.read = inner
      expect(raced.result.value).toEqual({ user: 'ada', n: 1 })
      expect(raced.io.setCookies()).toEqual([])
      expect(isSessionError(raced.result.write, 'CONFLICT')).toBe(true)
      expect(await env.storage.read(id)).toMatchObject({ data: '{"json":{"user":"ada","n":2}}' })
    })
  })

  describe('identity', () => {
    it('a custom identity makes the ids, and sees the request headers', async () => {
      let seen: string | undefined
      const env = setup({
        identity: (request) => {
          seen = request.header('X-Request-Id')
          return `req_${request.header('x-request-id')}_0001`
        },
      })
      const { result } = await env.browser.request(
        async (s) => {
          await s.set(Login, { user: 'ada', n: 1 })
          return idOf(s)
        },
        { headers: { 'x-request-id': 'abc123' } },
      )
      expect(seen).toBe('abc123')
      expect(result).toBe('req_abc123_0001')
      expect((await env.storage.read('req_abc123_0001'))?.data).toContain('ada')
    })

    it('an id outside 8 to 128 characters of A-Z a-z 0-9 _ - is refused with INVALID_OPTION', async () => {
      for (const bad of ['short', 'has space in it', '../../etc/passwd', 'x'.repeat(129), 42, undefined]) {
        const env = setup({ identity: () => bad as never })
        await env.browser.request(async (s) => {
          const error = await s.set(Login, { user: 'ada', n: 1 }).catch((caught: unknown) => caught)
          expect(isSessionError(error, 'INVALID_OPTION'), String(bad)).toBe(true)
        })
        expect(env.storage.size).toBe(0)
      }
    })
  })

  it('signs a user out everywhere through the owner index, and one device by id', async () => {
    const storage = memoryStorage()
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Login, { storage, owner: (value) => value.user })],
    })
    const laptop = new FakeBrowser(engine)
    const phone = new FakeBrowser(engine)
    const other = new FakeBrowser(engine)
    await laptop.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    await phone.request((s) => s.set(Login, { user: 'ada', n: 2 }))
    await other.request((s) => s.set(Login, { user: 'bob', n: 3 }))
    const phoneId = payloadOf(phone.cookies.get('login')!)
    await engine.invalidate(Login, phoneId)
    expect((await phone.request((s) => s.get(Login))).result).toBeNull()
    expect((await laptop.request((s) => s.get(Login))).result).not.toBeNull()
    await phone.request((s) => s.set(Login, { user: 'ada', n: 4 }))
    expect(await engine.invalidateOwner(Login, 'ada')).toBe(2)
    expect((await laptop.request((s) => s.get(Login))).result).toBeNull()
    expect((await phone.request((s) => s.get(Login))).result).toBeNull()
    expect((await other.request((s) => s.get(Login))).result).toEqual({ user: 'bob', n: 3 })
  })

  it('engine.invalidate refuses a malformed id and a session that is not stored server-side', async () => {
    const Cart = defineSession('cart')
    const engine = createSessionEngine({ secret: SECRET, sessions: [Login, Cart] })
    await expect(engine.invalidate(Login, '../etc')).rejects.toMatchObject({ code: 'INVALID_VALUE' })
    await expect(engine.invalidate(Cart, 'abcdefghijkl')).rejects.toMatchObject({ code: 'INVALID_OPERATION' })
    await expect(engine.invalidateOwner(Cart, 'ada')).rejects.toMatchObject({ code: 'INVALID_OPERATION' })
  })

  it('uses one shared memory storage for server-stored sessions that name none', async () => {
    const Other = defineSession<{ user: string; n: number }>()('other', { storage: 'server' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Login, Other] })
    const browser = new FakeBrowser(engine)
    await browser.request(async (s) => {
      await s.set(Login, { user: 'ada', n: 1 })
      await s.set(Other, { user: 'bob', n: 2 })
    })
    const { io, result } = await browser.request(async (s) => [await s.get(Login), await s.get(Other)])
    expect(result).toEqual([
      { user: 'ada', n: 1 },
      { user: 'bob', n: 2 },
    ])
    expect(io.appended).toEqual([])
    expect(cookiePair(`login=${browser.cookies.get('login')}`).value).toMatch(/^v1\.s\./)
  })

  it('with protection "none" the id travels unsigned, and a guessed id finds nothing', async () => {
    const Open = defineSession<{ user: string }>()('open', { storage: 'server', protection: 'none' })
    const storage = memoryStorage()
    const engine = createSessionEngine({ sessions: [cookie(Open, { storage })] })
    const browser = new FakeBrowser(engine)
    await browser.request((s) => s.set(Open, { user: 'ada' }))
    expect(browser.cookies.get('open')).toMatch(/^v1\.n\./)
    expect((await browser.request((s) => s.get(Open))).result).toEqual({ user: 'ada' })
    const guess = `v1.n.1.0.${btoa('guessedsessionid').replace(/=+$/, '')}`
    expect(await engine.open(fakeIO({ cookie: `open=${guess}` }).io).get(Open)).toBeNull()
  })
})

describe('the stored entry keeps what lifetime needs, not the token (#13, 11)', () => {
  const Unsigned = defineSession<{ user: string }>()('unsigned', {
    storage: 'server',
    protection: 'none',
    expiry: { idle: '30m', absolute: '1h' },
  })
  const Signed = defineSession<{ user: string }>()('signed', { storage: 'server' })

  function lifetimeSetup() {
    const clock = fakeClock()
    const storage = memoryStorage({ now: clock.now })
    const events: InvalidSessionEvent[] = []
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Unsigned, { storage }), cookie(Signed, { storage })],
      now: clock.now,
      onInvalid: (event) => events.push(event),
    })
    return { clock, storage, events, browser: new FakeBrowser(engine) }
  }

  /** A `none` token with the claims its holder chose: `v1.n.<iat>.<exp>.<id>`. */
  const rewrite = (token: string, iat: number, exp: number) => `v1.n.${iat}.${exp}.${token.split('.')[4]}`

  it('a none session whose client rewrites iat still ends at the absolute limit', async () => {
    const { clock, storage, browser } = lifetimeSetup()
    const { result: id } = await browser.request(async (s) => {
      await s.set(Unsigned, { user: 'ada' })
      return s.id(Unsigned)
    })
    const start = clock.seconds()
    const token = browser.cookies.get('unsigned')!
    const seen: unknown[] = []
    const starts: string[] = []
    for (let minutes = 20; minutes <= 100; minutes += 20) {
      clock.advance(20 * 60)
      // "I began just now, and expire in a minute": a read then renews the session.
      browser.cookies.set('unsigned', rewrite(token, clock.seconds(), clock.seconds() + 60))
      seen.push((await browser.request((s) => s.get(Unsigned))).result)
      const data = (await storage.read(id!))?.data
      if (data !== undefined) starts.push(data.slice(0, data.indexOf('\n')))
    }
    expect(seen).toEqual([{ user: 'ada' }, { user: 'ada' }, null, null, null])
    // The renewals kept the session's real start, and the entry was gone at the limit.
    expect(starts).toEqual([
      `{"tessera":"entry/1","iat":${start},"seen":${start + 1200}}`,
      `{"tessera":"entry/1","iat":${start},"seen":${start + 2400}}`,
    ])
  })

  it('counts the absolute limit from the stored start even where the storage keeps the entry longer', async () => {
    const { clock, storage, events, browser } = lifetimeSetup()
    const { result: id } = await browser.request(async (s) => {
      await s.set(Unsigned, { user: 'ada' })
      return s.id(Unsigned)
    })
    const token = browser.cookies.get('unsigned')!
    const data = (await storage.read(id!))!.data
    clock.advance(3600)
    // A storage that kept the entry past its TTL (or was written without one) still holds it.
    await storage.write(id!, data, { ttl: 0 })
    browser.cookies.set('unsigned', rewrite(token, clock.seconds(), 0))
    expect((await browser.request((s) => s.get(Unsigned))).result).toBeNull()
    expect(events.map((event) => event.reason)).toEqual(['EXPIRED'])
  })

  it('reads an entry of the older shape (codec text alone) when the token is signed, and rewrites it', async () => {
    const { storage, events, browser } = lifetimeSetup()
    const { result: ids } = await browser.request(async (s) => {
      await s.set(Signed, { user: 'ada' })
      await s.set(Unsigned, { user: 'bob' })
      return [await s.id(Signed), await s.id(Unsigned)]
    })
    const [signedId, unsignedId] = ids as [string, string]
    await storage.write(signedId, '{"json":{"user":"ada"}}', { ttl: 0 })
    await storage.write(unsignedId, '{"json":{"user":"bob"}}', { ttl: 0 })
    const read = await browser.request(async (s) => ({
      signed: await s.get(Signed),
      unsigned: await s.get(Unsigned),
    }))
    // Signed claims give the start once; a none token's claims are not to be trusted for it.
    expect(read.result).toEqual({ signed: { user: 'ada' }, unsigned: null })
    expect(events).toEqual([{ session: 'unsigned', reason: 'DECODE_FAILED' }])
    await browser.request((s) => s.set(Signed, { user: 'ada lovelace' }))
    expect((await storage.read(signedId))?.data).toBe(
      '{"tessera":"entry/1","iat":1800000000,"seen":1800000000}\n{"json":{"user":"ada lovelace"}}',
    )
  })

  it('refuses an entry it cannot read: a broken line, or a format it does not know', async () => {
    const { storage, events, browser } = lifetimeSetup()
    const { result: id } = await browser.request(async (s) => {
      await s.set(Signed, { user: 'ada' })
      return s.id(Signed)
    })
    const token = browser.cookies.get('signed')!
    for (const data of [
      '{"tessera":"entry/1","iat":1800000000}',
      '{"tessera":"entry/1","iat":-1}\n{"json":{"user":"ada"}}',
      '{"tessera":"entry/2","iat":1800000000}\n{"json":{"user":"ada"}}',
    ]) {
      await storage.write(id!, data, { ttl: 0 })
      browser.cookies.set('signed', token)
      expect((await browser.request((s) => s.get(Signed))).result, data).toBeNull()
    }
    expect(events.map((event) => event.reason)).toEqual(['DECODE_FAILED', 'DECODE_FAILED', 'DECODE_FAILED'])
  })
})
