import { expect, it } from 'vitest'
import type { SessionCrypto } from '../../src'
import { createSessionEngine, memoryStorage, superjsonCodec } from '../../src'
import dataFile from '../data-vectors.json'
import sessionVectors from '../vectors.json'

interface DataVector {
  readonly id: string
  readonly kind: 'sign' | 'seal'
  readonly purpose: string
  readonly expiresIn: number
  readonly oneTime: boolean
  readonly iat: number
  readonly randomStart: number
  readonly payload: string
  readonly token: string
  readonly expect: { readonly expiredAt: number }
}

const dataVectors = dataFile.vectors as DataVector[]

/** `crypto` whose random bytes are randomStart, randomStart+1, … as the vectors were made. */
const fixedRandom = (crypto: SessionCrypto, start: number): SessionCrypto => {
  let next = start
  return { ...crypto, randomBytes: (length) => Uint8Array.from({ length }, () => next++ & 255) }
}

/** Every data-token vector, written byte for byte and opened, on one implementation of the primitives. */
export function dataVectorSuite(crypto: SessionCrypto): void {
  it.each(dataVectors.map((vector) => [vector.id, vector] as const))('%s', async (_, vector) => {
    const clock = { now: vector.iat * 1000 }
    const engine = createSessionEngine({
      keys: sessionVectors.keys,
      sessions: [],
      crypto: fixedRandom(crypto, vector.randomStart),
      now: () => clock.now,
    })
    const value = await superjsonCodec.decode(vector.payload)
    const options = { purpose: vector.purpose, expiresIn: vector.expiresIn, oneTime: vector.oneTime }
    expect(await engine[vector.kind](value, options)).toBe(vector.token)
    const open = vector.kind === 'sign' ? engine.verify : engine.unseal
    await expect(open(vector.token, { purpose: 'magic-link' })).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    })
    clock.now = vector.expect.expiredAt * 1000
    await expect(open(vector.token, { purpose: vector.purpose })).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
    })
    clock.now -= 1000
    const storage = memoryStorage()
    expect(await open(vector.token, { purpose: vector.purpose, storage })).toEqual(value)
    if (vector.oneTime) {
      await expect(open(vector.token, { purpose: vector.purpose, storage })).rejects.toMatchObject({
        code: 'TOKEN_USED',
      })
    }
  })
}
