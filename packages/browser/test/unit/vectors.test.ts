import type { Protection } from '@tessera/core'
import { defineSession, superjsonCodec } from '@tessera/core'
import { protectNone } from '@tessera/core/internal'
import { afterEach, describe, expect, it, vi } from 'vitest'
import vectors from '../../../core/test/vectors.json'
import { createSessionClient, readSession } from '../../src'
import { clearCookies, setCookie } from './fixtures'

interface Expectation {
  readonly ok: boolean
  readonly payload?: string
  readonly reason?: string
}
interface Vector {
  readonly id: string
  readonly write: {
    readonly session: string
    readonly protection: Protection
    readonly payload: string
    readonly iat: number
    readonly exp: number
    readonly token: string
  }
  readonly read: {
    readonly session: string
    readonly protection: Protection
    readonly token: string
    readonly expect: Expectation
  }
}

const all = vectors.vectors as unknown as Vector[]
const browserSide = all.filter(
  (vector) => vector.read.protection === 'ed25519' || vector.read.protection === 'none',
)
/** The browser verifies with public keys only: one key per session and key id, as the server lists them. */
const publicKeysOf = (session: string) =>
  Object.fromEntries(
    Object.entries(vectors.ed25519PublicKeys)
      .filter(([id]) => id.endsWith(`/${session}`))
      .map(([id, key]) => [id.split('/')[0]!, key]),
  )

afterEach(() => clearCookies())

describe('shared vectors (packages/core/test/vectors.json), read in the browser', () => {
  it('has ed25519 and none vectors to check, accepted and refused', () => {
    const protections = new Set(browserSide.map((vector) => vector.read.protection))
    expect([...protections].sort()).toEqual(['ed25519', 'none'])
    expect(browserSide.some((vector) => vector.read.expect.ok)).toBe(true)
    expect(browserSide.some((vector) => !vector.read.expect.ok)).toBe(true)
  })

  for (const vector of browserSide) {
    const { read } = vector
    it(`${vector.id}: ${read.expect.ok ? 'decodes to the value the server decodes' : `refuses (${read.expect.reason})`}`, async () => {
      const Session = defineSession(read.session, {
        visibility: 'client',
        protection: read.protection as 'ed25519' | 'none',
        ...(read.protection === 'ed25519' ? { publicKeys: publicKeysOf(read.session) } : {}),
      })
      const onInvalid = vi.fn()
      const now = () => vectors.now * 1000
      const sessions = createSessionClient({ sessions: [Session], now, onInvalid })
      setCookie(`${read.session}=${read.token}; Path=/`)
      // The client and readSession (no client) read each token alike.
      const values = [await sessions.get(Session), await readSession(Session, { now, onInvalid })]
      if (read.expect.ok) {
        expect(onInvalid).not.toHaveBeenCalled()
        const expected = await superjsonCodec.decode(read.expect.payload!)
        expect(values).toEqual([expected, expected])
      } else {
        expect(values).toEqual([null, null])
        expect(onInvalid.mock.calls).toEqual([
          [{ session: read.session, reason: read.expect.reason }],
          [{ session: read.session, reason: read.expect.reason }],
        ])
      }
    })
  }

  it('restores the rich types of a meta payload (Map, Date, Set, undefined)', async () => {
    const vector = browserSide.find((each) => each.id === 'ed25519-meta')!
    const Session = defineSession('cart', { visibility: 'client', publicKeys: publicKeysOf('cart') })
    setCookie(`cart=${vector.read.token}; Path=/`)
    const value = (await createSessionClient({ sessions: [Session], now: () => vectors.now * 1000 }).get(
      Session,
    )) as any
    expect(value.items).toEqual(new Map([['A-1', 2]]))
    expect(value.updatedAt).toEqual(new Date(Date.UTC(2027, 0, 15, 8, 0, 0)))
    expect(value.tags).toEqual(new Set(['gift']))
    expect('coupon' in value && value.coupon === undefined).toBe(true)
  })

  for (const vector of all.filter((each) => each.write.protection === 'none')) {
    it(`${vector.id}: the browser writes the same none token byte for byte`, () => {
      const { payload, iat, exp, token } = vector.write
      expect(protectNone(payload, { iat, exp })).toBe(token)
    })
  }
})
