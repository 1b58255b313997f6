import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession, header, isSessionError, webCrypto } from '../../src'
import { decodeBase64url, encodeBase64url, withSealingNonce } from '../../src/internal'
import { cookiePair, FakeBrowser, fakeIO, SECRET } from '../helpers/fake-io'

function creationError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected createSessionEngine to throw')
}

const Cart = defineSession<{ items: string[] }>()('cart')
const Login = defineSession<{ user: string }>()('login', { transport: 'header', storage: 'server' })

describe('createSessionEngine', () => {
  it('refuses the same descriptor twice, and two sessions of one name: DUPLICATE', () => {
    const twice = creationError(() => createSessionEngine({ secret: SECRET, sessions: [Cart, cookie(Cart)] }))
    expect(isSessionError(twice, 'DUPLICATE')).toBe(true)
    const Twin = defineSession<string>()('cart', { transport: 'header' })
    const named = creationError(() => createSessionEngine({ secret: SECRET, sessions: [Cart, header(Twin)] }))
    expect(isSessionError(named, 'DUPLICATE')).toBe(true)
    expect((named as { session?: string }).session).toBe('cart')
  })

  it('refuses header sessions whose names differ only in case (HTTP header names do not): DUPLICATE', () => {
    const A = defineSession('X-Token', { transport: 'header' })
    const B = defineSession('x-token', { transport: 'header' })
    expect(
      isSessionError(
        creationError(() => createSessionEngine({ secret: SECRET, sessions: [A, B] })),
        'DUPLICATE',
      ),
    ).toBe(true)
    // Cookie names are case-sensitive: these two are distinct cookies.
    const C = defineSession('Theme')
    const D = defineSession('theme')
    expect(createSessionEngine({ secret: SECRET, sessions: [C, D] }).has(D)).toBe(true)
  })

  it('refuses cookie() of a header descriptor and header() of a cookie descriptor at runtime too', () => {
    expect(() => cookie(Login as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => header(Cart as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })

  it('refuses transport in the server options: it belongs to the descriptor', () => {
    const error = creationError(() =>
      createSessionEngine({
        secret: SECRET,
        sessions: [{ descriptor: Cart, options: { transport: 'header' } as never }],
      }),
    )
    expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
  })

  it('needs a secret for protected sessions, and none for unprotected ones', () => {
    expect(
      isSessionError(
        creationError(() => createSessionEngine({ sessions: [Cart] })),
        'INVALID_KEY',
      ),
    ).toBe(true)
    expect(
      isSessionError(
        creationError(() => createSessionEngine({ secret: 'short', sessions: [Cart] })),
        'INVALID_KEY',
      ),
    ).toBe(true)
    const Prefs = defineSession('prefs', { visibility: 'client', protection: 'none' })
    expect(createSessionEngine({ sessions: [Prefs] }).has(Prefs)).toBe(true)
  })

  it('refuses invalid server options: maxRetries, encoding, cookie attributes', () => {
    for (const options of [
      { maxRetries: 0 },
      { maxRetries: 1.5 },
      { encoding: 'hex' },
      { sameSite: 'none' },
      { maxAge: -1 },
    ]) {
      const error = creationError(() =>
        createSessionEngine({ secret: SECRET, sessions: [cookie(Cart, options as never)] }),
      )
      expect(isSessionError(error, 'INVALID_OPTION'), JSON.stringify(options)).toBe(true)
    }
  })

  it('a descriptor it does not know: NOT_REGISTERED, for every operation', async () => {
    const engine = createSessionEngine({ secret: SECRET, sessions: [Cart] })
    const Stranger = defineSession('stranger')
    expect(engine.has(Stranger)).toBe(false)
    const sessions = engine.open(fakeIO().io)
    for (const call of [
      () => sessions.get(Stranger),
      () => sessions.set(Stranger, 1),
      () => sessions.clear(Stranger),
      () => sessions.update(Stranger, () => 1),
      () => sessions.regenerate(Stranger),
      () => sessions.id(Stranger),
      () => engine.invalidate(Stranger, 'abcdefghijkl'),
      () => engine.invalidateOwner(Stranger, 'ada'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'NOT_REGISTERED', session: 'stranger' })
    }
  })

  it('another descriptor of a registered name is not the registered session: NOT_REGISTERED (#13, 16)', async () => {
    const Strict = defineSession('line', {
      storage: 'server',
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown) =>
            typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'not positive' }] },
        },
      },
    })
    // A twin under the same name without the schema: served as `Strict`, it would write what the
    // registered session refuses.
    const Twin = defineSession<number>()('line', { storage: 'server' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Strict] })
    expect(engine.has(Strict)).toBe(true)
    expect(engine.has(Twin)).toBe(false)
    const sessions = engine.open(fakeIO().io)
    await expect(sessions.set(Twin, -1)).rejects.toMatchObject({
      code: 'NOT_REGISTERED',
      session: 'line',
      message: expect.stringContaining('not the one registered'),
    })
    await expect(sessions.get(Twin)).rejects.toMatchObject({ code: 'NOT_REGISTERED' })
    await expect(engine.invalidate(Twin, 'abcdefghijkl')).rejects.toMatchObject({ code: 'NOT_REGISTERED' })
    await expect(engine.invalidateOwner(Twin, 'ada')).rejects.toMatchObject({ code: 'NOT_REGISTERED' })
    await expect(sessions.set(Strict, -1)).rejects.toMatchObject({ code: 'INVALID_VALUE' })
  })

  it('lists the Ed25519 public keys of browser-verifiable sessions, matching its signatures', async () => {
    const Prefs = defineSession<{ theme: string }>()('prefs', { visibility: 'client' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Cart, Prefs] })
    const keys = await engine.publicKeys()
    expect(Object.keys(keys)).toEqual(['prefs'])
    expect(Object.keys(keys.prefs!)).toEqual(['0'])
    const { io } = await new FakeBrowser(engine).request((s) => s.set(Prefs, { theme: 'dark' }))
    const token = io.setCookies()[0]!.split(';')[0]!.slice('prefs='.length)
    const signed = token.slice(0, token.lastIndexOf('.'))
    const verify = await webCrypto.ed25519Verifier(decodeBase64url(keys.prefs!['0']!)!)
    expect(await verify(`prefs\u0000${signed}`, decodeBase64url(token.slice(signed.length + 1))!)).toBe(true)
  })

  it('refuses to turn the un-awaited publicKeys() into JSON, which would send {} to the browser', async () => {
    const Prefs = defineSession<{ theme: string }>()('prefs', { visibility: 'client' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Prefs] })
    const forgotten = engine.publicKeys()
    expect(() => JSON.stringify({ publicKeys: forgotten })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPERATION',
        message: expect.stringContaining('await sessions.publicKeys()'),
      }),
    )
    // Awaited, the keys are plain data and become JSON as they are.
    const keys = await forgotten
    expect(JSON.parse(JSON.stringify({ publicKeys: keys }))).toEqual({ publicKeys: keys })
    expect(Object.keys(keys.prefs!)).toEqual(['0'])
  })

  it('keeps engines apart: a session of one engine does not read in another of another secret', async () => {
    const a = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Cart] }))
    await a.request((s) => s.set(Cart, { items: ['a'] }))
    const b = createSessionEngine({ secret: `${SECRET} for another route`, sessions: [Cart] })
    const sessions = b.open(fakeIO({ cookie: `cart=${a.cookies.get('cart')}` }).io)
    expect(await sessions.get(Cart)).toBeNull()
  })
})

describe('per-request onInvalid', () => {
  it('hears only its own request, after the engine hook', async () => {
    const Tagged = defineSession<{ a: number }>()('tagged', { protection: 'signed' })
    const order: string[] = []
    const engine = createSessionEngine({
      secret: 'a test secret that is at least 32 bytes long!',
      sessions: [cookie(Tagged)],
      onInvalid: (event) => order.push(`engine:${event.reason}`),
    })
    const mine: string[] = []
    const bad = engine.open(fakeIO({ cookie: 'tagged=v1.s.0.1.2.x.y' }).io, {
      onInvalid: (event) => {
        mine.push(event.reason)
        order.push(`request:${event.reason}`)
      },
    })
    expect(await bad.get(Tagged)).toBeNull()
    const other = engine.open(fakeIO({ cookie: 'tagged=garbage' }).io)
    expect(await other.get(Tagged)).toBeNull()
    expect(mine).toEqual(['SIGNATURE_INVALID'])
    expect(order).toEqual(['engine:SIGNATURE_INVALID', 'request:SIGNATURE_INVALID', 'engine:MALFORMED'])
  })
})

describe('sealing nonces', () => {
  const Vault = defineSession<{ pin: string }>()('vault', { protection: 'sealed' })
  /** Two requests at the same second sealing the same value: only the nonce can tell the tokens apart. */
  async function twoTokens(options: Parameters<typeof createSessionEngine>[0]): Promise<[string, string]> {
    const engine = createSessionEngine(options)
    const tokens: string[] = []
    for (let i = 0; i < 2; i++) {
      const io = fakeIO()
      const sessions = engine.open(io.io)
      await sessions.set(Vault, { pin: '1234' })
      sessions.commit()
      tokens.push(cookiePair(io.setCookies()[0]!).value)
    }
    return tokens as [string, string]
  }
  const base = { secret: SECRET, sessions: [Vault], now: () => 1_800_000_000_000 }

  it('are random whatever the options say: a constant `nonce` (no longer an option) is refused', async () => {
    const constant = new Uint8Array(24).fill(7)
    await expect(twoTokens({ ...base, nonce: () => constant } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    })
    // One nonce twice under one key would share a keystream: the boxes of random nonces differ.
    const [first, second] = await twoTokens(base)
    expect(first).not.toBe(second)
  })

  it('can be fixed only through the internal module, for tests and vectors', async () => {
    const constant = new Uint8Array(24).fill(7)
    const [first, second] = await twoTokens(withSealingNonce(base, () => constant))
    expect(first).toBe(second)
    expect(first.split('.')[3]!.startsWith(encodeBase64url(constant).slice(0, 30))).toBe(true)
  })
})
