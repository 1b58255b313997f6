import { describe, expect, it } from 'vitest'
import type { AnySessionDescriptor } from '../../src'
import { cookie, createSessionEngine, defineSession, isSessionError, memoryStorage } from '../../src'
import { FakeBrowser, fakeClock, SECRET } from '../helpers/fake-io'

const DAY = 86_400

/** Max-Age of the first Set-Cookie line, or null for a browser-session cookie. */
const maxAgeOf = (line: string | undefined): number | null => {
  const match = /; Max-Age=(\d+)/.exec(line ?? '')
  return match ? Number(match[1]) : null
}

describe("a cookie's maxAge without an expiry is the session's lifetime (Ktor's maxAge)", () => {
  const Plain = defineSession<{ n: number }>()('plain')

  it('a 30-day maxAge keeps the session 30 days, not the default 7', async () => {
    const clock = fakeClock()
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Plain, { maxAge: '30d' })],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    const { io } = await browser.request((s) => s.set(Plain, { n: 1 }))
    expect(maxAgeOf(io.setCookies()[0])).toBe(30 * DAY)
    clock.advance(20 * DAY)
    expect((await browser.request((s) => s.get(Plain))).result).toEqual({ n: 1 })
    // Unused for longer than its lifetime, it ends, cookie or not.
    clock.advance(31 * DAY)
    expect((await browser.request((s) => s.get(Plain))).result).toBeNull()
  })

  it('beside an expiry in the descriptor, maxAge stays the cookie only: the expiry ends the session', async () => {
    const Hour = defineSession<{ n: number }>()('hour', { expiry: { idle: '1h' } })
    const clock = fakeClock()
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Hour, { maxAge: '30d' })],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    const { io } = await browser.request((s) => s.set(Hour, { n: 1 }))
    expect(maxAgeOf(io.setCookies()[0])).toBe(30 * DAY)
    clock.advance(3601)
    expect((await browser.request((s) => s.get(Hour))).result).toBeNull()
  })
})

describe('a lifetime for one session: set(D, value, { maxAge | expiresAt })', () => {
  // A browser-session cookie that ends after an hour unused, as a default; "remember me" beside it.
  const Client = defineSession<{ n: number }>()('client', { expiry: { idle: '1h' } })
  const Stored = defineSession<{ n: number }>()('stored', { storage: 'server', expiry: { idle: '1h' } })

  const setup = (Session: AnySessionDescriptor & { readonly transport: 'cookie' }) => {
    const clock = fakeClock()
    const storage = memoryStorage({ now: clock.now })
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Session, { maxAge: null, storage })],
      now: clock.now,
    })
    return { clock, storage, browser: new FakeBrowser(engine, clock.now) }
  }

  for (const Session of [Client, Stored] as (typeof Client | typeof Stored)[]) {
    describe((Session.storage as string) === 'server' ? 'server-stored' : 'client-stored', () => {
      it('lasts its own lifetime, and the cookie follows it instead of being a browser-session cookie', async () => {
        const { clock, browser } = setup(Session)
        const plain = await new FakeBrowser(browser.engine, clock.now).request((s) =>
          s.set(Session, { n: 0 }),
        )
        expect(maxAgeOf(plain.io.setCookies()[0])).toBeNull()
        const { io } = await browser.request((s) => s.set(Session, { n: 1 }, { maxAge: '30d' }))
        expect(maxAgeOf(io.setCookies()[0])).toBe(30 * DAY)
        clock.advance(2 * DAY)
        expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 1 })
      })

      it('keeps it across later writes without a lifetime, and ends at it', async () => {
        const { clock, browser } = setup(Session)
        await browser.request((s) => s.set(Session, { n: 1 }, { maxAge: '30d' }))
        clock.advance(2 * DAY)
        const later = await browser.request((s) => s.set(Session, { n: 2 }))
        if (Session === Client) expect(maxAgeOf(later.io.setCookies()[0])).toBe(28 * DAY)
        clock.advance(20 * DAY)
        expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 2 })
        clock.advance(8 * DAY)
        expect((await browser.request((s) => s.get(Session))).result).toBeNull()
      })

      it('within the last idle period of a longer lifetime, use renews a client-stored session as an ordinary one', async () => {
        const { clock, browser } = setup(Session)
        await browser.request((s) => s.set(Session, { n: 1 }, { maxAge: '1d' }))
        clock.advance(DAY - 60)
        expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 1 })
        clock.advance(120)
        const after = (await browser.request((s) => s.get(Session))).result
        expect(after).toEqual(Session === Stored ? null : { n: 1 })
      })

      it('a lifetime shorter than the default holds too: neither writes nor use extend it', async () => {
        const { clock, browser } = setup(Session)
        await browser.request((s) => s.set(Session, { n: 1 }, { maxAge: '10m' }))
        clock.advance(400)
        await browser.request((s) => s.set(Session, { n: 2 }))
        clock.advance(100)
        expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 2 })
        clock.advance(101)
        expect((await browser.request((s) => s.get(Session))).result).toBeNull()
      })

      it('expiresAt gives the end as a time', async () => {
        const { clock, browser } = setup(Session)
        const end = new Date((clock.seconds() + 3 * DAY) * 1000)
        const { io } = await browser.request((s) => s.set(Session, { n: 1 }, { expiresAt: end }))
        expect(maxAgeOf(io.setCookies()[0])).toBe(3 * DAY)
        // A client-stored token has room for its start and expiry only: within the last idle period
        // (an hour here) of a longer lifetime, use renews it as an ordinary session (docs/lifetime.md).
        const lastUse = Session === Stored ? 3 * DAY - 1 : 3 * DAY - 3601
        clock.advance(lastUse)
        expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 1 })
        clock.advance(3 * DAY - lastUse)
        expect((await browser.request((s) => s.get(Session))).result).toBeNull()
      })

      it('a write of an equal value with a lifetime is not skipped', async () => {
        const { clock, browser } = setup(Session)
        await browser.request((s) => s.set(Session, { n: 1 }))
        const { io } = await browser.request((s) => s.set(Session, { n: 1 }, { maxAge: '2d' }))
        expect(maxAgeOf(io.setCookies()[0])).toBe(2 * DAY)
        clock.advance(DAY)
        expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 1 })
      })

      it('regenerate starts the descriptor lifetime again', async () => {
        const { clock, browser } = setup(Session)
        await browser.request((s) => s.set(Session, { n: 1 }, { maxAge: '30d' }))
        const { io } = await browser.request((s) => s.regenerate(Session))
        expect(maxAgeOf(io.setCookies()[0])).toBeNull()
        clock.advance(3601)
        expect((await browser.request((s) => s.get(Session))).result).toBeNull()
      })
    })
  }

  it('a server-stored lifetime lives in the stored entry, and the storage drops the entry at its end', async () => {
    const { clock, storage, browser } = setup(Stored)
    await browser.request((s) => s.set(Stored, { n: 1 }, { maxAge: '2d' }))
    const id = (await browser.request((s) => s.id(Stored))).result!
    const record = await storage.read(id)
    expect(record!.expiresAt).toBe((clock.seconds() + 2 * DAY) * 1000)
    expect(record!.data.split('\n')[0]).toBe(
      JSON.stringify({
        tessera: 'entry/1',
        iat: clock.seconds(),
        end: clock.seconds() + 2 * DAY,
        seen: clock.seconds(),
      }),
    )
  })

  it('refuses a lifetime that is not one: both forms, zero, an end in the past (INVALID_OPTION)', async () => {
    const { clock, browser } = setup(Client)
    const attempts = [
      { maxAge: '1d', expiresAt: new Date((clock.seconds() + 60) * 1000) },
      { maxAge: 0 },
      { maxAge: '-1d' },
      { expiresAt: new Date((clock.seconds() - 1) * 1000) },
      { expiresAt: new Date(Number.NaN) },
    ] as const
    for (const options of attempts) {
      const error = await browser.request((s) => s.set(Client, { n: 1 }, options as never)).catch((e) => e)
      expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
    }
  })
})

describe('sessions.lifetime(D): when the session began and when it ends', () => {
  const Idle = defineSession<{ n: number }>()('idle', { expiry: { idle: '1h', absolute: '1d' } })
  const Kept = defineSession<{ n: number }>()('kept', {
    storage: 'server',
    expiry: { idle: '1h', absolute: '1d' },
  })

  for (const Session of [Idle, Kept] as (typeof Idle | typeof Kept)[]) {
    it(`${Session.name}: null without a session; start, expiry and latest end with one`, async () => {
      const clock = fakeClock()
      const storage = memoryStorage({ now: clock.now })
      const engine = createSessionEngine({
        secret: SECRET,
        sessions: [cookie(Session, { storage })],
        now: clock.now,
      })
      const browser = new FakeBrowser(engine, clock.now)
      const start = clock.seconds()
      const at = (seconds: number) => new Date(seconds * 1000)
      expect((await browser.request((s) => s.lifetime(Session))).result).toBeNull()
      // Within the request that writes it, it is the session just written.
      const written = await browser.request(async (s) => {
        await s.set(Session, { n: 1 })
        return s.lifetime(Session)
      })
      expect(written.result).toEqual({
        createdAt: at(start),
        expiresAt: at(start + 3600),
        maxExpiresAt: at(start + 86_400),
        ownLifetime: false,
      })
      // Past half its idle time, use renews it: the expiry moves, the start stays.
      clock.advance(2000)
      expect((await browser.request((s) => s.lifetime(Session))).result).toEqual({
        createdAt: at(start),
        expiresAt: at(start + 2000 + 3600),
        maxExpiresAt: at(start + 86_400),
        ownLifetime: false,
      })
      clock.advance(100)
      const own = await browser.request(async (s) => {
        await s.set(Session, { n: 2 }, { maxAge: '3d' })
        return s.lifetime(Session)
      })
      const now = clock.seconds()
      expect(own.result).toEqual({
        createdAt: at(now),
        expiresAt: at(now + 3 * 86_400),
        maxExpiresAt: at(now + 3 * 86_400),
        ownLifetime: true,
      })
      clock.advance(60)
      expect((await browser.request((s) => s.lifetime(Session))).result).toEqual(own.result)
      const cleared = await browser.request(async (s) => {
        await s.clear(Session)
        return s.lifetime(Session)
      })
      expect(cleared.result).toBeNull()
    })
  }

  it('a session that never expires has neither expiry nor latest end', async () => {
    const Forever = defineSession<{ n: number }>()('forever', { expiry: { idle: null } })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Forever] })
    const browser = new FakeBrowser(engine)
    await browser.request((s) => s.set(Forever, { n: 1 }))
    const { result } = await browser.request((s) => s.lifetime(Forever))
    expect(result).toMatchObject({ expiresAt: null, maxExpiresAt: null, ownLifetime: false })
  })
})
