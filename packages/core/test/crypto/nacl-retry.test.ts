import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => {
  vi.doUnmock('../../src/crypto/nacl')
  vi.resetModules()
})

describe('tweetnacl, loaded on first need', () => {
  it('a failed load (a chunk that did not arrive) is tried again: sealing works on the next call', async () => {
    vi.resetModules()
    const real = await vi.importActual<typeof import('../../src/crypto/nacl')>('../../src/crypto/nacl')
    let attempts = 0
    vi.doMock('../../src/crypto/nacl', () => {
      attempts++
      if (attempts === 1) throw new Error('the chunk did not load')
      return real
    })
    const { createKeyRing, createProtector } = await import('../../src/internal')
    const { webCrypto } = await import('../../src')
    const ring = createKeyRing({ secret: 'a secret of at least thirty-two bytes!' })
    const sealed = createProtector({ protection: 'sealed', name: 'vault', crypto: webCrypto, ring })
    const claims = { iat: 1_800_000_000, exp: 0 }
    await expect(Promise.resolve().then(() => sealed.protect('{"json":1}', claims))).rejects.toThrow()
    const token = await sealed.protect('{"json":1}', claims)
    expect(await sealed.open(token, claims.iat)).toMatchObject({ ok: true, payload: '{"json":1}' })
    expect(attempts).toBe(2)
  })
})
