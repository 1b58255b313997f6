import { describe, expect, it } from 'vitest'
import type { SessionStorage } from '../../src'
import { cookie, createSessionEngine, defineSession, isSessionError, memoryStorage } from '../../src'
import { encodeBase64url } from '../../src/internal'
import { FakeBrowser, fakeClock, SECRET } from '../helpers/fake-io'

const Login = defineSession<{ user: string; n?: number }>()('login', {
  storage: 'server',
  expiry: { idle: '1h' },
})
const NoneLogin = defineSession<{ user: string }>()('open', { storage: 'server', protection: 'none' })

const setup = (make?: (now: () => number) => SessionStorage) => {
  const clock = fakeClock()
  const storage = make ? make(clock.now) : memoryStorage({ now: clock.now })
  const owner = (value: { user: string }) => value.user
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Login, { storage, owner }), cookie(NoneLogin, { storage, owner })],
    now: clock.now,
  })
  const device = () => new FakeBrowser(engine, clock.now)
  return { clock, engine, device }
}

describe('managing stored sessions outside a request', () => {
  it('lists the live sessions of an owner, newest first, with start, last seen, expiry and metadata', async () => {
    const { clock, engine, device } = setup()
    const laptop = device()
    const start = clock.seconds()
    await laptop.request((s) => s.set(Login, { user: 'ada' }, { metadata: { device: 'Laptop' } }))
    clock.advance(100)
    const phone = device()
    await phone.request((s) =>
      s.set(Login, { user: 'ada' }, { metadata: { device: 'Phone', agent: 'Safari' } }),
    )
    await device().request((s) => s.set(Login, { user: 'bob' }))
    clock.advance(50)
    // A later write keeps the labels and moves the last-seen time.
    await laptop.request((s) => s.set(Login, { user: 'ada', n: 1 }))

    const listed = await engine.listSessions(Login, 'ada')
    expect(listed.map((one) => one.metadata)).toEqual([
      { device: 'Phone', agent: 'Safari' },
      { device: 'Laptop' },
    ])
    const at = (seconds: number) => new Date(seconds * 1000)
    expect(listed[1]).toMatchObject({
      createdAt: at(start),
      lastSeenAt: at(start + 150),
      expiresAt: at(start + 150 + 3600),
    })
    expect(listed[0]).toMatchObject({ createdAt: at(start + 100), lastSeenAt: at(start + 100) })
    expect((await engine.listSessions(Login, 'bob')).length).toBe(1)
    expect(await engine.listSessions(Login, 'nobody')).toEqual([])
    // Each device knows its own handle: "this device" on a devices page.
    expect((await phone.request((s) => s.handle(Login))).result).toBe(listed[0]!.handle)
  })

  it('never lists an expired session', async () => {
    const { clock, engine, device } = setup()
    await device().request((s) => s.set(Login, { user: 'ada' }, { maxAge: '10m' }))
    await device().request((s) => s.set(Login, { user: 'ada' }))
    clock.advance(601)
    expect((await engine.listSessions(Login, 'ada')).length).toBe(1)
    clock.advance(3600)
    expect(await engine.listSessions(Login, 'ada')).toEqual([])
  })

  it('hands out a handle, never the id nor anything that works as a cookie', async () => {
    const { engine, device } = setup()
    const browser = device()
    await browser.request((s) => s.set(NoneLogin, { user: 'ada' }))
    const id = (await browser.request((s) => s.id(NoneLogin))).result!
    const [listed] = await engine.listSessions(NoneLogin, 'ada')
    expect(listed!.handle).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(listed!.handle).not.toBe(id)
    expect(JSON.stringify(listed)).not.toContain(id)
    // A `none` token is the id in base64url: a handle in its place is not a session.
    const forged = `v1.n.1800000000.0.${encodeBase64url(new TextEncoder().encode(listed!.handle))}`
    const stranger = new FakeBrowser(engine)
    stranger.cookies.set('open', forged)
    expect((await stranger.request((s) => s.get(NoneLogin))).result).toBeNull()
  })

  it('reads, replaces and ends one session by handle, for its owner only', async () => {
    const { engine, device } = setup()
    const laptop = device()
    const phone = device()
    await laptop.request((s) => s.set(Login, { user: 'ada', n: 1 }, { metadata: { device: 'Laptop' } }))
    await phone.request((s) => s.set(Login, { user: 'ada', n: 2 }))
    const handle = (await laptop.request((s) => s.handle(Login))).result!

    expect(await engine.readSession(Login, 'ada', handle)).toMatchObject({
      handle,
      value: { user: 'ada', n: 1 },
      metadata: { device: 'Laptop' },
    })
    expect(await engine.readSession(Login, 'bob', handle)).toBeNull()
    expect(await engine.readSession(Login, 'ada', 'not-a-handle')).toBeNull()

    expect(await engine.replaceSession(Login, 'ada', handle, { user: 'ada', n: 10 })).toBe(true)
    expect((await laptop.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 10 })
    expect((await engine.readSession(Login, 'ada', handle))!.metadata).toEqual({ device: 'Laptop' })

    expect(await engine.endSession(Login, 'bob', handle)).toBe(false)
    expect(await engine.endSession(Login, 'ada', handle)).toBe(true)
    expect((await laptop.request((s) => s.get(Login))).result).toBeNull()
    expect((await phone.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 2 })
    expect(await engine.endSession(Login, 'ada', handle)).toBe(false)
  })

  it('replaces with compare-and-set: a request that changed the session first wins, CONFLICT', async () => {
    let beforeWrite: (() => Promise<void>) | undefined
    const { engine, device } = setup((now) => {
      const inner = memoryStorage({ now })
      return {
        read: (id) => inner.read(id),
        async write(id, data, options) {
          const hook = beforeWrite
          beforeWrite = undefined
          await hook?.()
          return inner.write(id, data, options)
        },
        invalidate: (id) => inner.invalidate(id),
        listOwner: (owner) => inner.listOwner!(owner),
      }
    })
    const laptop = device()
    await laptop.request((s) => s.set(Login, { user: 'ada', n: 1 }))
    const handle = (await laptop.request((s) => s.handle(Login))).result!
    // Between the listing and the admin's write, the user's own request writes.
    beforeWrite = () => laptop.request((s) => s.set(Login, { user: 'ada', n: 2 })).then(() => undefined)
    const error = await engine.replaceSession(Login, 'ada', handle, { user: 'ada', n: 99 }).catch((e) => e)
    expect(isSessionError(error, 'CONFLICT')).toBe(true)
    expect((await laptop.request((s) => s.get(Login))).result).toEqual({ user: 'ada', n: 2 })
  })

  it('refuses where it cannot: a storage without listOwner, a client-stored session, a bad owner, metadata on a cookie', async () => {
    const { engine } = setup((now) => {
      const inner = memoryStorage({ now })
      return {
        read: (id) => inner.read(id),
        write: (id, data, options) => inner.write(id, data, options),
        invalidate: (id) => inner.invalidate(id),
      }
    })
    const missing = await engine.listSessions(Login, 'ada').catch((e) => e)
    expect(isSessionError(missing, 'INVALID_OPERATION')).toBe(true)
    expect((missing as Error).message).toContain('listOwner')
    for (const call of [
      () => engine.readSession(Login, 'ada', 'x'),
      () => engine.replaceSession(Login, 'ada', 'x', { user: 'ada' }),
      () => engine.endSession(Login, 'ada', 'x'),
    ]) {
      expect(isSessionError(await call().catch((e) => e), 'INVALID_OPERATION')).toBe(true)
    }
    const Cart = defineSession<{ n: number }>()('cart')
    const cartEngine = createSessionEngine({ secret: SECRET, sessions: [Cart] })
    expect(
      isSessionError(await cartEngine.listSessions(Cart, 'ada').catch((e) => e), 'INVALID_OPERATION'),
    ).toBe(true)
    const { engine: listing } = setup()
    expect(isSessionError(await listing.listSessions(Login, '').catch((e) => e), 'INVALID_VALUE')).toBe(true)
    const onCookie = await new FakeBrowser(cartEngine)
      .request((s) => s.set(Cart, { n: 1 }, { metadata: { device: 'x' } }))
      .catch((e) => e)
    expect(isSessionError(onCookie, 'INVALID_OPTION')).toBe(true)
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']))
    const overLimit = await new FakeBrowser(listing)
      .request((s) => s.set(Login, { user: 'ada' }, { metadata: tooMany }))
      .catch((e) => e)
    expect(isSessionError(overLimit, 'INVALID_OPTION')).toBe(true)
  })
})
