import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from '../../src'
import { Cart, clearCookies, publicKeys, setCookie, signed } from './fixtures'

// A runtime whose WebCrypto lacks Ed25519 (older Safari, Firefox before 129). Core probes once per
// module instance and caches the answer; this file gets fresh module instances, so the probe sees
// the refusal below and verification goes through tweetnacl, loaded on first need.
const cart = { items: [{ sku: 'A-1', qty: 2 }] }
let tokens: { good: string; forged: string }
let keys: Record<string, Record<string, string>>

beforeAll(async () => {
  // Refuse Ed25519 before anything probes for it; the tokens below are then signed with tweetnacl
  // too (Ed25519 is deterministic: the same bytes WebCrypto would produce).
  const importKey = crypto.subtle.importKey.bind(crypto.subtle)
  vi.spyOn(crypto.subtle, 'importKey').mockImplementation(((
    ...args: Parameters<SubtleCrypto['importKey']>
  ) => {
    const algorithm = args[2]
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name
    if (name === 'Ed25519') return Promise.reject(new DOMException('not supported', 'NotSupportedError'))
    return importKey(...args)
  }) as SubtleCrypto['importKey'])
  keys = await publicKeys('cart')
  const good = await signed('cart', cart)
  const other = await signed('cart', { items: [] })
  tokens = { good, forged: good.replace(/[^.]+$/, other.split('.')[6]!) }
})
afterAll(() => {
  vi.restoreAllMocks()
  clearCookies()
})

describe('Ed25519 without WebCrypto support', () => {
  it('verifies with tweetnacl, and still refuses a forged signature', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify')
    setCookie(`cart=${tokens.good}; Path=/`)
    const sessions = createSessionClient({ sessions: [Cart], publicKeys: keys })
    expect(await sessions.get(Cart)).toEqual(cart)
    setCookie(`cart=${tokens.forged}; Path=/`)
    expect(await sessions.get(Cart)).toBeNull()
    expect(verify).not.toHaveBeenCalled()
  })
})
