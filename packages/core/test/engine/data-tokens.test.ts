import { describe, expect, it } from 'vitest'
import type { SessionError } from '../../src'
import { createSessionEngine, defineSession, isSessionError, memoryStorage, webCrypto } from '../../src'
import { createKeyRing, decodeBase64urlText, deriveKey, encodeBase64url } from '../../src/internal'
import { fakeIO } from '../helpers/fake-io'

const SECRET = 'tessera data token tests: 32+ bytes, never use'
const NOW = 1_800_000_000_000
const Cart = defineSession<{ items: number }>()('cart', { protection: 'signed' })

function engineAt(clock: { now: number }) {
  return createSessionEngine({ secret: SECRET, sessions: [Cart], now: () => clock.now })
}

/** The SessionError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!isSessionError(error)) throw new Error(`expected a SessionError, got ${String(error)}`)
  return error
}

const kinds = [
  { name: 'sealed', write: 'seal', open: 'unseal' },
  { name: 'signed', write: 'sign', open: 'verify' },
] as const

describe.each(kinds)('$name data tokens', ({ write, open }) => {
  const reset = { purpose: 'password-reset', expiresIn: '30m' } as const

  it('round-trip any value the default codec writes, Date and Map included', async () => {
    const engine = engineAt({ now: NOW })
    const value = { userId: 'u1', at: new Date(NOW), roles: new Map([['admin', true]]) }
    const token = await engine[write](value, reset)
    expect(token.startsWith(write === 'seal' ? 'v1.dx.0.' : 'v1.ds.0.')).toBe(true)
    expect(await engine[open](token, { purpose: 'password-reset' })).toEqual(value)
  })

  it('open only for the purpose they were made for', async () => {
    const engine = engineAt({ now: NOW })
    const token = await engine[write]({ userId: 'u1' }, reset)
    const error = await refusal(engine[open](token, { purpose: 'magic-link' }))
    expect(error.code).toBe('TOKEN_INVALID')
  })

  it('expire', async () => {
    const clock = { now: NOW }
    const engine = engineAt(clock)
    const token = await engine[write]({ userId: 'u1' }, reset)
    clock.now += 30 * 60_000 - 1000
    await expect(engine[open](token, { purpose: 'password-reset' })).resolves.toEqual({ userId: 'u1' })
    clock.now += 1000
    expect((await refusal(engine[open](token, { purpose: 'password-reset' }))).code).toBe('TOKEN_EXPIRED')
  })

  it('refuse another secret, a changed character and garbage, naming neither token nor value', async () => {
    const engine = engineAt({ now: NOW })
    const other = createSessionEngine({ secret: `${SECRET}!`, sessions: [], now: () => NOW })
    const token = await engine[write]({ secretValue: 'do-not-leak' }, reset)
    const last = token.at(-2) === 'A' ? 'B' : 'A'
    const forged = `${token.slice(0, -2)}${last}${token.at(-1)}`
    for (const bad of [forged, 'v1.ds.0.1.2..e30.x', '', 'v1.dx.0.AAAA', token.replace('.0.', '.9.')]) {
      const error = await refusal(engine[open](bad, { purpose: 'password-reset' }))
      expect(error.code).toBe('TOKEN_INVALID')
      expect(error.message).not.toContain('do-not-leak')
      expect(error.message).not.toContain(token.slice(10, 30))
    }
    expect((await refusal(other[open](token, { purpose: 'password-reset' }))).code).toBe('TOKEN_INVALID')
  })

  it('used once: the first open consumes a one-time token, the next is TOKEN_USED', async () => {
    const engine = engineAt({ now: NOW })
    const storage = memoryStorage()
    const token = await engine[write]({ email: 'a@example.com' }, { ...reset, oneTime: true })
    const options = { purpose: 'password-reset', storage }
    expect(await engine[open](token, options)).toEqual({ email: 'a@example.com' })
    expect((await refusal(engine[open](token, options))).code).toBe('TOKEN_USED')
    // A one-time token never opens without the storage that records its use.
    const fresh = await engine[write]({ email: 'b' }, { ...reset, oneTime: true })
    expect((await refusal(engine[open](fresh, { purpose: 'password-reset' }))).code).toBe('INVALID_OPERATION')
    // Reusable tokens open as often as asked, with or without a storage.
    const reusable = await engine[write]({ email: 'c' }, reset)
    await engine[open](reusable, options)
    await expect(engine[open](reusable, options)).resolves.toEqual({ email: 'c' })
  })

  it('one-time: of 20 concurrent opens exactly one succeeds (compare-and-set)', async () => {
    const engine = engineAt({ now: NOW })
    const storage = memoryStorage()
    const token = await engine[write]({ n: 1 }, { ...reset, oneTime: true })
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => engine[open](token, { purpose: 'password-reset', storage })),
    )
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason.code).toBe('TOKEN_USED')
    }
  })

  it('refuse bad options: purpose, expiry, unknown names', async () => {
    const engine = engineAt({ now: NOW })
    for (const options of [
      { purpose: '', expiresIn: '1h' },
      { purpose: 'a b', expiresIn: '1h' },
      { purpose: 'ok', expiresIn: 0 },
      { purpose: 'ok', expiresIn: '1h', onetime: true },
    ]) {
      expect((await refusal(engine[write]({}, options as never))).code).toBe('INVALID_OPTION')
    }
    const error = await refusal(engine[open]('x', { purpose: 'ok', storge: memoryStorage() } as never))
    expect(error.message).toContain('did you mean storage?')
  })
})

describe('data tokens and session tokens never stand in for each other', () => {
  it('a session token does not open as a data token, whatever the purpose', async () => {
    const engine = engineAt({ now: NOW })
    const io = fakeIO()
    const sessions = engine.open(io.io)
    await sessions.set(Cart, { items: 2 })
    sessions.commit()
    const sessionToken = io.setCookies()[0]!.split(';')[0]!.slice('cart='.length)
    for (const purpose of ['cart', 'signed', 'password-reset']) {
      expect((await refusal(engine.verify(sessionToken, { purpose }))).code).toBe('TOKEN_INVALID')
      expect((await refusal(engine.unseal(sessionToken, { purpose }))).code).toBe('TOKEN_INVALID')
    }
  })

  it('a data token relabelled as a session token reads as absent', async () => {
    const engine = engineAt({ now: NOW })
    const token = await engine.sign({ items: 5 }, { purpose: 'cart', expiresIn: '1h' })
    const [, , kid, iat, exp, , body, tag] = token.split('.')
    const relabelled = ['v1', 's', kid, iat, exp, body, tag].join('.')
    const reasons: string[] = []
    const sessions = engine.open(fakeIO({ cookie: `cart=${relabelled}` }).io, {
      onInvalid: ({ reason }) => void reasons.push(reason),
    })
    expect(await sessions.get(Cart)).toBeNull()
    expect(reasons).toEqual(['SIGNATURE_INVALID'])
  })

  it('derives distinct keys: a session key would not produce a data token tag', async () => {
    const { secret } = createKeyRing({ secret: SECRET }).keys[0]!
    const sessionKey = await deriveKey(webCrypto, secret, 'signed', 'cart')
    const dataKey = await deriveKey(webCrypto, secret, 'data-signed', 'cart')
    expect(encodeBase64url(sessionKey)).not.toBe(encodeBase64url(dataKey))
    const sealedKey = await deriveKey(webCrypto, secret, 'data-sealed', 'cart')
    expect(encodeBase64url(sealedKey)).not.toBe(
      encodeBase64url(await deriveKey(webCrypto, secret, 'sealed', 'cart')),
    )
    // The data token's tag, recomputed with the session's key, does not match.
    const engine = engineAt({ now: NOW })
    const token = await engine.sign({ items: 5 }, { purpose: 'cart', expiresIn: '1h' })
    const tag = token.slice(token.lastIndexOf('.') + 1)
    const sessionTag = await (await webCrypto.hmacSha256(sessionKey))(
      `cart\u0000${token.slice(0, token.lastIndexOf('.'))}`,
    )
    expect(sessionTag).not.toBe(tag)
  })

  it('a signed data token is readable without the key (only sealing hides it)', async () => {
    const engine = engineAt({ now: NOW })
    const token = await engine.sign({ visible: 'yes' }, { purpose: 'p', expiresIn: '1h' })
    expect(decodeBase64urlText(token.split('.')[6]!)).toBe('{"json":{"visible":"yes"}}')
    const sealed = await engine.seal({ visible: 'no' }, { purpose: 'p', expiresIn: '1h' })
    expect(sealed).not.toContain(encodeBase64url(new TextEncoder().encode('visible')).slice(0, 8))
  })

  it('needs a secret', async () => {
    const engine = createSessionEngine({ sessions: [] })
    expect((await refusal(engine.seal(1, { purpose: 'p', expiresIn: '1h' }))).code).toBe('INVALID_KEY')
  })
})
