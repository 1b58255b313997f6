import { describe, expect, it } from 'vitest'
import { nodeCrypto } from '../src/crypto/node-crypto'

/* What node's crypto promises beyond the bytes the vectors check: its errors, and answers, never throws. */

describe('nodeCrypto', () => {
  it('is named for what it runs on', () => {
    expect(nodeCrypto.name).toBe('node:crypto')
  })

  it('refuses a random length that is not a non-negative integer with INVALID_OPTION', () => {
    for (const length of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => nodeCrypto.randomBytes(length)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message: 'randomBytes needs a non-negative integer length',
        }),
      )
    }
  })

  it('refuses an Ed25519 seed or public key that is not 32 bytes, saying which', () => {
    expect(() => nodeCrypto.ed25519Signer(new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY', message: 'an Ed25519 seed must be 32 bytes' }),
    )
    expect(() => nodeCrypto.ed25519Verifier(new Uint8Array(33))).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY', message: 'an Ed25519 public key must be 32 bytes' }),
    )
  })

  it('verifies to false, never throws, whatever the signature is', async () => {
    const signer = await nodeCrypto.ed25519Signer(new Uint8Array(32).fill(5))
    const verify = await nodeCrypto.ed25519Verifier(signer.publicKey)
    expect(await verify('message', await signer.sign('message'))).toBe(true)
    for (const signature of [new Uint8Array(0), new Uint8Array(64), 'not bytes', null]) {
      expect(await verify('message', signature as never)).toBe(false)
    }
  })
})
