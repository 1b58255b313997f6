import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { countingStorage } from '../helpers/counting-storage'
import { FakeBrowser, fakeClock, fakeIO, SECRET } from '../helpers/fake-io'

const HOUR = 3600

describe('renewal, where it must not happen', () => {
  it('a server-stored session due for renewal, read after the commit: no storage write, no cookie', async () => {
    const Login = defineSession<{ user: string }>()('login', { storage: 'server', expiry: { idle: '1h' } })
    const clock = fakeClock()
    const counted = countingStorage({ now: clock.now })
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Login, { storage: counted.storage })],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    await browser.request((s) => s.set(Login, { user: 'ada' }))
    clock.advance(HOUR - 10)
    counted.reset()
    const io = fakeIO({ cookie: `login=${browser.cookies.get('login')}` })
    const sessions = engine.open(io.io)
    sessions.commit()
    expect(await sessions.get(Login)).toEqual({ user: 'ada' })
    expect(counted.calls).toEqual({ read: 1, write: 0, invalidate: 0, invalidateOwner: 0 })
    expect(io.appended).toEqual([])
  })

  it('a token that never expires (written with no idle limit) is renewed under an idle limit, which then holds', async () => {
    const clock = fakeClock()
    const Forever = defineSession<{ n: number }>()('cart', { protection: 'signed', expiry: { idle: null } })
    const Idle = defineSession<{ n: number }>()('cart', { protection: 'signed', expiry: { idle: '1h' } })
    const before = new FakeBrowser(
      createSessionEngine({ secret: SECRET, sessions: [cookie(Forever)], now: clock.now }),
      clock.now,
    )
    await before.request((s) => s.set(Forever, { n: 1 }))
    const token = before.cookies.get('cart')!
    expect(token.split('.')[4]).toBe('0')
    clock.advance(600)
    const after = new FakeBrowser(
      createSessionEngine({ secret: SECRET, sessions: [cookie(Idle)], now: clock.now }),
      clock.now,
    )
    after.cookies.set('cart', token)
    const { result, io } = await after.request(async (s) => ({
      value: await s.get(Idle),
      lifetime: await s.lifetime(Idle),
    }))
    expect(result.value).toEqual({ n: 1 })
    expect(result.lifetime?.expiresAt).toEqual(new Date((clock.seconds() + 3600) * 1000))
    expect(io.setCookies()).toHaveLength(1)
    // An hour without use later, it is gone.
    clock.advance(3600)
    expect((await after.request((s) => s.get(Idle))).result).toBeNull()
  })
})
