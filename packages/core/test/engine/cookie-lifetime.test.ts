import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { deletesCookie, FakeBrowser, fakeClock, SECRET } from '../helpers/fake-io'

const Forever = defineSession<{ n: number }>()('forever', { expiry: { idle: null } })
const Stored = defineSession<{ n: number }>()('stored', { storage: 'server', expiry: { idle: null } })

describe('the cookie of a session with no expiry', () => {
  for (const Session of [Forever, Stored]) {
    it(`${Session.name}: is written with a lifetime (7 days), never Max-Age=0, and survives the next requests`, async () => {
      const clock = fakeClock()
      const engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Session)], now: clock.now })
      const browser = new FakeBrowser(engine, clock.now)
      const { io } = await browser.request((s) => s.set(Session, { n: 1 }))
      const [line] = io.setCookies()
      expect(line).toMatch(/; Max-Age=604800; Expires=/)
      expect(browser.cookies.has(Session.name)).toBe(true)
      clock.advance(86_400)
      expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 1 })
      expect((await browser.request((s) => s.get(Session))).result).toEqual({ n: 1 })
    })
  }
})

describe('the cookie of a session with an idle limit', () => {
  it('lives as long as the token: Max-Age is the time left to its expiry', async () => {
    const Idle = defineSession<{ n: number }>()('idle', { expiry: { idle: '1h' } })
    const clock = fakeClock()
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Idle, { chunking: true })],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    const { io } = await browser.request((s) => s.set(Idle, { n: 1 }))
    expect(io.setCookies()[0]).toMatch(/; Max-Age=3600; Expires=/)
    clock.advance(100)
    const later = await browser.request((s) => s.set(Idle, { n: 2 }))
    expect(later.io.setCookies()[0]).toMatch(/; Max-Age=3600; Expires=/)
  })
})

describe('the test browser applies Set-Cookie lines as a browser does', () => {
  const now = 1_800_000_000
  it('deletes at Max-Age 0 or below, whatever the value; keeps a positive Max-Age even past Expires', () => {
    expect(deletesCookie('a=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(true)
    expect(deletesCookie('a=value; Max-Age=0; Path=/', now)).toBe(true)
    expect(deletesCookie('a=value; Path=/; max-age=-5', now)).toBe(true)
    expect(deletesCookie('a=value; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(false)
  })

  it('without Max-Age, deletes at a past Expires and keeps a future one or none', () => {
    const at = (seconds: number) => new Date(seconds * 1000).toUTCString()
    expect(deletesCookie(`a=value; Expires=${at(now - 1)}`, now)).toBe(true)
    expect(deletesCookie(`a=value; Expires=${at(now)}`, now)).toBe(true)
    expect(deletesCookie(`a=value; Expires=${at(now + 60)}`, now)).toBe(false)
    expect(deletesCookie('a=value; Path=/; HttpOnly', now)).toBe(false)
  })
})
