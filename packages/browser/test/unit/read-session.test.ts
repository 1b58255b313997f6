import type { InvalidSessionEvent } from '@tessera/core'
import { defineSession, isSessionError } from '@tessera/core'
import { encodeBase64url } from '@tessera/core/internal'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from '../../src'
import {
  Badge,
  Cart,
  claims,
  clearCookies,
  Login,
  nowSeconds,
  Prefs,
  publicKeys,
  setCookie,
  signed,
  Vault,
} from './fixtures'

const cart = { items: [{ sku: 'A-1', qty: 2 }] }
let keys: Record<string, Record<string, string>>

beforeAll(async () => {
  keys = await publicKeys('cart', 'badge')
})
afterEach(() => {
  clearCookies()
  sessionStorage.clear()
  vi.restoreAllMocks()
})

function client(onInvalid?: (event: InvalidSessionEvent) => void) {
  return createSessionClient({ sessions: [Cart, Prefs, Login, Badge, Vault], publicKeys: keys, onInvalid })
}

/** Replaces one character of the token's body, keeping it valid base64url. */
function tamper(token: string): string {
  const parts = token.split('.')
  const body = parts[5]!
  parts[5] = (body[0] === 'A' ? 'B' : 'A') + body.slice(1)
  return parts.join('.')
}

describe('get: client-visible cookie sessions', () => {
  it('returns the verified, decoded, schema-checked value', async () => {
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await client().get(Cart)).toEqual(cart)
  })

  it('returns null when the cookie is absent, without calling onInvalid', async () => {
    const onInvalid = vi.fn()
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).not.toHaveBeenCalled()
  })

  it('refuses a tampered token (SIGNATURE_INVALID)', async () => {
    const onInvalid = vi.fn()
    setCookie(`cart=${tamper(await signed('cart', cart))}; Path=/`)
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SIGNATURE_INVALID' })
  })

  it('refuses a token signed for another session name (the name is authenticated)', async () => {
    const onInvalid = vi.fn()
    setCookie(`cart=${await signed('badge', cart)}; Path=/`)
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SIGNATURE_INVALID' })
  })

  it('refuses an expired token (EXPIRED), authentic or not', async () => {
    const onInvalid = vi.fn()
    setCookie(
      `cart=${await signed('cart', cart, { iat: nowSeconds() - 100, exp: nowSeconds() - 1 })}; Path=/`,
    )
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'EXPIRED' })
  })

  it('refuses a downgrade to an unsigned token (WRONG_PROTECTION)', async () => {
    const onInvalid = vi.fn()
    const payload = encodeBase64url(new TextEncoder().encode(JSON.stringify({ json: cart })))
    setCookie(`cart=v1.n.${nowSeconds()}.0.${payload}; Path=/`)
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'WRONG_PROTECTION' })
  })

  it('refuses a key id it has no public key for (UNKNOWN_KEY)', async () => {
    const onInvalid = vi.fn()
    const token = (await signed('cart', cart)).replace(/^v1\.e\.0\./, 'v1.e.k9.')
    setCookie(`cart=${token}; Path=/`)
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'UNKNOWN_KEY' })
  })

  it('refuses an authentic value that fails the schema (SCHEMA_FAILED)', async () => {
    const onInvalid = vi.fn()
    setCookie(`cart=${await signed('cart', { items: [{ sku: 'A-1', qty: 'two' }] })}; Path=/`)
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SCHEMA_FAILED' })
  })

  it('reads an authentic value its schema throws on as absent (SCHEMA_FAILED), never a rejected get (#13, 13)', async () => {
    const onInvalid = vi.fn()
    const Fragile = defineSession('cart', {
      visibility: 'client',
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: async (value: unknown): Promise<never> => {
            throw new RangeError(`cannot handle ${JSON.stringify(value)}`)
          },
        },
      },
    })
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    const sessions = createSessionClient({ sessions: [Fragile], publicKeys: keys, onInvalid })
    expect(await sessions.get(Fragile)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SCHEMA_FAILED' })
  })

  it('refuses garbage (MALFORMED) and never puts the token in what it reports', async () => {
    const onInvalid = vi.fn()
    setCookie('cart=not-a-token; Path=/')
    expect(await client(onInvalid).get(Cart)).toBeNull()
    expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'MALFORMED' })
    expect(JSON.stringify(onInvalid.mock.calls)).not.toContain('not-a-token')
  })

  it('uses the public keys of the descriptor when it carries them', async () => {
    const WithKeys = defineSession('cart', {
      schema: Cart.schema!,
      visibility: 'client',
      publicKeys: keys.cart!,
    })
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await createSessionClient({ sessions: [WithKeys] }).get(WithKeys)).toEqual(cart)
  })

  it('reads a cookie written with the base64url cookie encoding', async () => {
    const token = await signed('cart', cart)
    setCookie(`cart=${encodeBase64url(new TextEncoder().encode(token))}; Path=/`)
    const sessions = createSessionClient({
      sessions: [{ descriptor: Cart, options: { encoding: 'base64url' } }],
      publicKeys: keys,
    })
    expect(await sessions.get(Cart)).toEqual(cart)
  })

  it('reads a double-quoted cookie value as the token inside the quotes', async () => {
    setCookie(`cart="${await signed('cart', cart)}"; Path=/`)
    expect(await client().get(Cart)).toEqual(cart)
  })
})

describe('the verified value is cached until the cookie string changes', () => {
  it('verifies a cookie string once, however often it is read', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify')
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    const sessions = client()
    const reads = await Promise.all([sessions.get(Cart), sessions.get(Cart), sessions.get(Cart)])
    expect(await sessions.get(Cart)).toEqual(cart)
    expect(reads).toEqual([cart, cart, cart])
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('verifies again when the cookie changes, and follows it', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const sessions = client()
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await sessions.get(Cart)).toEqual(cart)
    const next = { items: [{ sku: 'B-2', qty: 1 }] }
    setCookie(`cart=${await signed('cart', next)}; Path=/`)
    expect(await sessions.get(Cart)).toEqual(next)
    clearCookies()
    expect(await sessions.get(Cart)).toBeNull()
    expect(verify).toHaveBeenCalledTimes(2)
  })

  it('drops a cached value once its expiry passes, though the cookie stays', async () => {
    let now = Date.now()
    const sessions = createSessionClient({ sessions: [Cart], publicKeys: keys, now: () => now })
    setCookie(`cart=${await signed('cart', cart, claims(60))}; Path=/`)
    expect(await sessions.get(Cart)).toEqual(cart)
    now += 61_000
    expect(sessions.peek(Cart)).toBeNull()
    expect(await sessions.get(Cart)).toBeNull()
  })

  it('peek gives the last verified value synchronously, null before the first read', async () => {
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    const sessions = client()
    expect(sessions.peek(Cart)).toBeNull()
    await sessions.get(Cart)
    expect(sessions.peek(Cart)).toEqual(cart)
    expect(sessions.peek(Cart)).toBe(sessions.peek(Cart))
  })
})

describe('a readable header session', () => {
  it('verifies the token kept in the header store', async () => {
    sessionStorage.setItem('tessera:badge', await signed('badge', { level: 3 }))
    const sessions = client()
    expect(await sessions.get(Badge)).toEqual({ level: 3 })
    expect(sessions.has(Badge)).toBe(true)
  })
})

describe('misuse is a typed error', () => {
  it('refuses to read a server-only session (also a type error)', async () => {
    const error = await client()
      // @ts-expect-error Vault is server-only
      .get(Vault)
      .catch((caught: unknown) => caught)
    expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
  })

  it('refuses a session it was not given', async () => {
    const Other = defineSession('other', { visibility: 'client', protection: 'none' })
    const error = await createSessionClient({ sessions: [Prefs] })
      // @ts-expect-error Other is not registered with this client
      .get(Other)
      .catch((caught: unknown) => caught)
    expect(isSessionError(error, 'NOT_REGISTERED')).toBe(true)
  })

  it('refuses another descriptor of a registered name, as the engine does: NOT_REGISTERED (#13, 16)', async () => {
    // Its own codec and no schema: served as Prefs, it would be read and written by Prefs's rules.
    const Twin = defineSession<{ theme: string }>()('prefs', { visibility: 'client', protection: 'none' })
    const sessions = createSessionClient({ sessions: [Prefs] })
    for (const call of [
      () => sessions.get(Twin as never),
      () => sessions.set(Twin as never, { theme: 'dark' } as never),
      () => sessions.clear(Twin as never),
    ]) {
      const error = await call().catch((caught: unknown) => caught)
      expect(isSessionError(error, 'NOT_REGISTERED')).toBe(true)
      expect((error as Error).message).toContain('another descriptor')
    }
    expect(() => sessions.peek(Twin as never)).toThrowError(
      expect.objectContaining({ code: 'NOT_REGISTERED' }),
    )
    expect(document.cookie).not.toContain('prefs=')
    await sessions.set(Prefs, { theme: 'dark' })
    expect(await sessions.get(Prefs)).toEqual({ theme: 'dark' })
  })

  it('refuses an Ed25519 session without public keys when created', () => {
    expect(() => createSessionClient({ sessions: [Cart] })).toThrowError(
      expect.objectContaining({ code: 'INVALID_KEY', session: 'cart' }),
    )
  })

  it('refuses a header session named after a header HTTP or tessera owns (INVALID_NAME)', () => {
    const Sneaky = defineSession('set-cookie', { transport: 'header', storage: 'server' })
    expect(() => createSessionClient({ sessions: [Sneaky] })).toThrowError(
      expect.objectContaining({ code: 'INVALID_NAME' }),
    )
  })

  it('refuses two sessions of one name', () => {
    const Twin = defineSession('prefs', { visibility: 'client', protection: 'none' })
    expect(() => createSessionClient({ sessions: [Prefs, Twin] })).toThrowError(
      expect.objectContaining({ code: 'DUPLICATE' }),
    )
  })
})
