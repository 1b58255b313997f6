import { afterEach, describe, expect, it, vi } from 'vitest'
import { webCrypto } from '../../src'
import { createEd25519Verifier, createKeyRing } from '../../src/internal'

/*
 * The errors of key rings and crypto: each is a SessionError whose code and message say what is wrong,
 * never with a secret in it.
 */

const SECRET = 'a secret of at least thirty-two bytes, for the ring'

function thrown(run: () => unknown): Error & { code?: string } {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('key ring errors', () => {
  it('say what is wrong, and never show a secret', () => {
    const cases: [Parameters<typeof createKeyRing>[0], string][] = [
      [{} as never, 'give a `secret` or a non-empty `keys` ring'],
      [{ keys: [] }, 'give a `secret` or a non-empty `keys` ring'],
      [{ keys: [{ id: 'a.b', secret: SECRET }] }, 'a key id must be 1 to 32 characters of A-Z a-z 0-9 _ -'],
      [
        {
          keys: [
            { id: 'k1', secret: SECRET },
            { id: 'k1', secret: SECRET },
          ],
        },
        'key id "k1" appears twice in the ring',
      ],
      [
        { keys: [{ id: 'k2', secret: 'short secret' }] },
        'the secret of key "k2" must be at least 32 bytes (generate one with crypto.getRandomValues)',
      ],
    ]
    for (const [options, message] of cases) {
      const error = thrown(() => createKeyRing(options))
      expect(error).toMatchObject({ code: 'INVALID_KEY', message })
      expect(error.message).not.toContain('secret of at least')
    }
  })
})

describe('crypto errors', () => {
  it('an Ed25519 public key or seed of the wrong size: INVALID_KEY saying so', async () => {
    await expect(createEd25519Verifier(new Uint8Array(31))).rejects.toMatchObject({
      code: 'INVALID_KEY',
      message: 'an Ed25519 public key must be 32 bytes',
    })
    await expect(webCrypto.ed25519Signer(new Uint8Array(31))).rejects.toMatchObject({
      code: 'INVALID_KEY',
      message: 'an Ed25519 seed must be 32 bytes',
    })
  })

  it('no WebCrypto: UNSUPPORTED saying so', async () => {
    vi.stubGlobal('crypto', undefined)
    await expect(webCrypto.hmacSha256(new Uint8Array(32))).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'this runtime has no WebCrypto (crypto.subtle)',
    })
  })

  it('an Ed25519 verifier in a runtime with no crypto global at all falls back to tweetnacl', async () => {
    const signer = await webCrypto.ed25519Signer(new Uint8Array(32).fill(3))
    const signature = await signer.sign('message')
    vi.stubGlobal('crypto', undefined)
    const verify = await createEd25519Verifier(signer.publicKey)
    expect(await verify('message', signature)).toBe(true)
    expect(await verify('massage', signature)).toBe(false)
  })
})
