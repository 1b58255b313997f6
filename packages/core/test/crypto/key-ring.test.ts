import { describe, expect, it, vi } from 'vitest'
import type { KeyOptions } from '../../src'
import { createSessionEngine, defineSession, isSessionError, webCrypto } from '../../src'
import { createKeyRing, DEFAULT_KEY_ID, deriveKey, MIN_SECRET_BYTES } from '../../src/internal'
import { FakeBrowser } from '../helpers/fake-io'

const SECRET = 'correct horse battery staple, 32+ bytes long'
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

function refusal(options: KeyOptions): Error {
  try {
    createKeyRing(options)
  } catch (error) {
    expect(isSessionError(error, 'INVALID_KEY')).toBe(true)
    return error as Error
  }
  throw new Error('expected createKeyRing to throw')
}

describe('createKeyRing', () => {
  it('gives a lone secret the key id "0" and UTF-8 bytes', () => {
    const ring = createKeyRing({ secret: SECRET })
    expect(DEFAULT_KEY_ID).toBe('0')
    expect(ring.keys).toHaveLength(1)
    expect(ring.keys[0]!.id).toBe('0')
    expect(ring.keys[0]!.secret).toEqual(new TextEncoder().encode(SECRET))
  })

  it('keeps a ring in order, newest first, and takes byte secrets', () => {
    const bytes = new Uint8Array(32).fill(7)
    const ring = createKeyRing({
      keys: [
        { id: 'k2', secret: SECRET },
        { id: 'k_1-old', secret: bytes },
      ],
    })
    expect(ring.keys.map((key) => key.id)).toEqual(['k2', 'k_1-old'])
    expect(ring.keys[1]!.secret).toEqual(bytes)
  })

  it('counts bytes, not characters: 16 × "é" is 32 bytes', () => {
    expect(MIN_SECRET_BYTES).toBe(32)
    expect(() => createKeyRing({ secret: 'é'.repeat(16) })).not.toThrow()
  })

  it('refuses short secrets, and the message never contains the secret', () => {
    for (const secret of ['x'.repeat(31), 'short-but-secret-value', new Uint8Array(31)]) {
      const error = refusal({ secret })
      if (typeof secret === 'string') expect(error.message).not.toContain(secret)
      expect(error.message).toContain('32 bytes')
    }
    const error = refusal({
      keys: [
        { id: 'k1', secret: SECRET },
        { id: 'k0', secret: 'tiny-secret-value' },
      ],
    })
    expect(error.message).toContain('"k0"')
    expect(error.message).not.toContain('tiny-secret-value')
    expect(error.message).not.toContain(SECRET)
  })

  it('refuses secrets that are neither a string nor bytes', () => {
    for (const secret of [42, null, { length: 40 }, Array.from({ length: 40 }, () => 1)]) {
      refusal({ keys: [{ id: 'k1', secret: secret as never }] })
    }
  })

  it('refuses malformed key ids (a dot would break the token layout)', () => {
    for (const id of ['', 'k.1', 'k 1', 'a'.repeat(33), 'clé', 'k/1', 'k=1', 42]) {
      const error = refusal({ keys: [{ id: id as never, secret: SECRET }] })
      expect(error.message).not.toContain(SECRET)
    }
    expect(() => createKeyRing({ keys: [{ id: 'a'.repeat(32), secret: SECRET }] })).not.toThrow()
  })

  it('refuses duplicate key ids and empty rings', () => {
    const error = refusal({
      keys: [
        { id: 'k1', secret: SECRET },
        { id: 'k1', secret: `${SECRET}!` },
      ],
    })
    expect(error.message).not.toContain(SECRET)
    refusal({ keys: [] })
    refusal({} as never)
  })
})

describe('byte secrets are copied when the engine is created', () => {
  const Cart = defineSession<{ items: string[] }>()('cart', { protection: 'signed' })
  const ringOf: Record<string, (secret: Uint8Array) => KeyOptions> = {
    secret: (secret) => ({ secret }),
    keys: (secret) => ({ keys: [{ id: 'k1', secret }] }),
  }
  for (const [option, ring] of Object.entries(ringOf)) {
    it(`${option}: zeroing the array after createSessionEngine lets nobody forge, and the keys stay`, async () => {
      const bytes = () => Uint8Array.from({ length: 32 }, (_, i) => i + 1)
      const given = bytes()
      const onInvalid = vi.fn()
      const server = new FakeBrowser(createSessionEngine({ ...ring(given), sessions: [Cart], onInvalid }))
      // The caller wipes its copy of the secret, or reuses the buffer, before the first request.
      given.fill(0)

      // A forger who knows the array is zero now signs with an all-zero secret of the same length.
      const forger = new FakeBrowser(createSessionEngine({ ...ring(new Uint8Array(32)), sessions: [Cart] }))
      await forger.request((sessions) => sessions.set(Cart, { items: ['forged'] }))
      server.cookies.set('cart', forger.cookies.get('cart')!)
      const { result: forged } = await server.request((sessions) => sessions.get(Cart))
      expect(forged).toBeNull()
      expect(onInvalid).toHaveBeenCalledWith({ session: 'cart', reason: 'SIGNATURE_INVALID' })

      // The engine still signs with the secret it was given: an engine holding the same bytes reads it.
      await server.request((sessions) => sessions.set(Cart, { items: ['real'] }))
      const twin = new FakeBrowser(createSessionEngine({ ...ring(bytes()), sessions: [Cart] }))
      twin.cookies.set('cart', server.cookies.get('cart')!)
      expect((await twin.request((sessions) => sessions.get(Cart))).result).toEqual({ items: ['real'] })
    })
  }

  it('createKeyRing keeps its own copy of each byte secret, also of an array whose slice is a view', () => {
    /** Like Node's Buffer, whose `slice` shares memory with the original. */
    class ViewSlice extends Uint8Array {
      override slice(start?: number, end?: number) {
        return this.subarray(start, end)
      }
    }
    for (const given of [new Uint8Array(32).fill(9), new ViewSlice(32).fill(9)]) {
      const ring = createKeyRing({ secret: given })
      given.fill(0)
      expect([...ring.keys[0]!.secret]).toEqual(new Array(32).fill(9))
    }
  })
})

describe('deriveKey', () => {
  it('derives 32 bytes, different for each purpose, session and secret, stable for the same inputs', async () => {
    const secret = new TextEncoder().encode(SECRET)
    const other = new TextEncoder().encode(`${SECRET}?`)
    const seen = new Set<string>()
    for (const s of [secret, other]) {
      for (const purpose of ['signed', 'sealed', 'ed25519'] as const) {
        for (const session of ['cart', 'login', 'Cart']) {
          const key = await deriveKey(webCrypto, s, purpose, session)
          expect(key).toHaveLength(32)
          seen.add(hex(key))
          expect(hex(await deriveKey(webCrypto, s, purpose, session))).toBe(hex(key))
        }
      }
    }
    expect(seen.size).toBe(18)
  })
})
