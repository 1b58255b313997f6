import { defineSession, isSessionError, jsonCodec } from '@tessera/core'
import { encodeBase64url } from '@tessera/core/internal'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { readSession } from '../../src'
import { Badge, Cart, claims, clearCookies, Prefs, publicKeys, setCookie, signed, Vault } from './fixtures'

const cart = { items: [{ sku: 'A-1', qty: 2 }] }
let keys: Record<string, string>
/**
 * Cart with its public keys, as a shared sessions file would define it for the browser: a new
 * descriptor per test, as readSession caches by descriptor (and tokens signed in one second repeat).
 */
const keyedCart = () =>
  defineSession('cart', { schema: Cart.schema!, visibility: 'client', publicKeys: keys })
let KeyedCart: ReturnType<typeof keyedCart>

beforeAll(async () => {
  keys = (await publicKeys('cart')).cart!
})
beforeEach(() => {
  KeyedCart = keyedCart()
})
afterEach(() => {
  clearCookies()
  vi.restoreAllMocks()
})

const refusal = (read: () => Promise<unknown>) => read().catch((caught: unknown) => caught)

describe('readSession: one cookie session, no client', () => {
  it('returns the verified, decoded, schema-checked value, or null when the cookie is absent', async () => {
    expect(await readSession(KeyedCart)).toBeNull()
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await readSession(KeyedCart)).toEqual(cart)
  })

  it('takes the public keys as an option when the descriptor carries none', async () => {
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await readSession(Cart, { publicKeys: keys })).toEqual(cart)
  })

  it('refuses a tampered token, telling onInvalid why but not the token', async () => {
    const onInvalid = vi.fn()
    const token = await signed('cart', cart)
    const parts = token.split('.')
    parts[5] = (parts[5]![0] === 'A' ? 'B' : 'A') + parts[5]!.slice(1)
    setCookie(`cart=${parts.join('.')}; Path=/`)
    expect(await readSession(KeyedCart, { onInvalid })).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SIGNATURE_INVALID' })
    expect(JSON.stringify(onInvalid.mock.calls)).not.toContain(parts[6])
  })

  it('refuses an authentic value that fails the schema (SCHEMA_FAILED)', async () => {
    const onInvalid = vi.fn()
    setCookie(`cart=${await signed('cart', { items: 'none' })}; Path=/`)
    expect(await readSession(KeyedCart, { onInvalid })).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SCHEMA_FAILED' })
  })

  it('reads a cookie written with the base64url cookie encoding', async () => {
    setCookie(`cart=${encodeBase64url(new TextEncoder().encode(await signed('cart', cart)))}; Path=/`)
    expect(await readSession(KeyedCart)).toBeNull()
    expect(await readSession(KeyedCart, { encoding: 'base64url' })).toEqual(cart)
  })

  it('reads a browser-owned (none) session', async () => {
    setCookie('prefs=v1.n.1800000000.0.eyJ0aGVtZSI6ImRhcmsifQ; Path=/')
    expect(await readSession(Prefs)).toEqual({ theme: 'dark' })
  })
})

describe('readSession caches the verified value until the cookie changes', () => {
  it('verifies a cookie string once, concurrent reads included, and again when it changes', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify')
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    const reads = await Promise.all([readSession(KeyedCart), readSession(KeyedCart), readSession(KeyedCart)])
    expect(reads).toEqual([cart, cart, cart])
    expect(await readSession(KeyedCart)).toEqual(cart)
    expect(verify).toHaveBeenCalledTimes(1)
    const next = { items: [{ sku: 'B-2', qty: 1 }] }
    setCookie(`cart=${await signed('cart', next)}; Path=/`)
    expect(await readSession(KeyedCart)).toEqual(next)
    expect(verify).toHaveBeenCalledTimes(2)
  })

  it('verifies again with other public keys, not with the same keys given anew', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const Fresh = defineSession('cart', { schema: Cart.schema!, visibility: 'client' })
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await readSession(Fresh, { publicKeys: { ...keys } })).toEqual(cart)
    expect(await readSession(Fresh, { publicKeys: { ...keys } })).toEqual(cart)
    expect(verify).toHaveBeenCalledTimes(1)
    const other = { '0': encodeBase64url(new Uint8Array(32).fill(7)) }
    expect(await readSession(Fresh, { publicKeys: other })).toBeNull()
  })

  it('drops a cached value once its expiry passes, though the cookie stays', async () => {
    let now = Date.now()
    setCookie(`cart=${await signed('cart', cart, claims(60))}; Path=/`)
    expect(await readSession(KeyedCart, { now: () => now })).toEqual(cart)
    now += 61_000
    expect(await readSession(KeyedCart, { now: () => now })).toBeNull()
  })

  it('reads a value its schema throws on as absent (SCHEMA_FAILED), as the server does (#13, 13)', async () => {
    const onInvalid = vi.fn()
    const Fragile = defineSession('fragile', {
      visibility: 'client',
      protection: 'none',
      codec: jsonCodec,
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown): never => {
            throw new RangeError(`cannot handle ${JSON.stringify(value)}`)
          },
        },
      },
    })
    setCookie('fragile=v1.n.1800000000.0.eyJ0aGVtZSI6ImRhcmsifQ; Path=/')
    expect(await readSession(Fragile, { onInvalid })).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'fragile', reason: 'SCHEMA_FAILED' })
  })

  it('does not keep a reading that failed: the next call tries again', async () => {
    let fail = true
    const onInvalid = () => {
      if (fail) throw new Error('hook down')
    }
    const Flaky = defineSession('flaky', { visibility: 'client', protection: 'none', codec: jsonCodec })
    setCookie('flaky=v1.n.1800000000.0.bm90IGpzb24; Path=/')
    expect(await refusal(() => readSession(Flaky, { onInvalid }))).toEqual(new Error('hook down'))
    fail = false
    expect(await readSession(Flaky, { onInvalid })).toBeNull()
  })
})

describe('readSession refuses what it cannot read, with a typed error', () => {
  it('a server-only session (also a type error)', async () => {
    // @ts-expect-error Vault is server-only
    const error = await refusal(() => readSession(Vault))
    expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
  })

  it('a header session (the client keeps those; also a type error)', async () => {
    // @ts-expect-error Badge travels in a header
    const error = await refusal(() => readSession(Badge, { publicKeys: keys }))
    expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
  })

  it('an Ed25519 session without public keys, or with a malformed one', async () => {
    for (const options of [{}, { publicKeys: { '0': 'too-short' } }]) {
      const error = await refusal(() => readSession(Cart, options))
      expect(isSessionError(error, 'INVALID_KEY')).toBe(true)
      expect((error as Error).message).not.toContain('too-short')
    }
  })
})
