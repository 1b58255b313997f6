import { createSessionEngine, webCrypto } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { dataVectorSuite } from '../../core/test/helpers/data-vectors'
import { createSessions, memoryStorage, nodeCrypto } from '../src'

const SECRET = 'tessera data token tests: 32+ bytes, never use'
const NOW = 1_800_000_000_000

describe('data tokens on node:crypto and on WebCrypto are one format', () => {
  const node = createSessions({ secret: SECRET, sessions: [], now: () => NOW })
  const web = createSessionEngine({ secret: SECRET, sessions: [], crypto: webCrypto, now: () => NOW })
  const options = { purpose: 'magic-link', expiresIn: '15m' } as const

  it('signs byte for byte alike, and each verifies the other', async () => {
    const value = { email: 'a@example.com', at: new Date(NOW) }
    const fromNode = await node.sign(value, options)
    expect(await web.sign(value, options)).toBe(fromNode)
    expect(await web.verify(fromNode, { purpose: 'magic-link' })).toEqual(value)
    expect(await node.verify(await web.sign(value, options), { purpose: 'magic-link' })).toEqual(value)
  })

  it('each unseals what the other sealed, one-time use recorded in a shared storage', async () => {
    const storage = memoryStorage()
    const sealed = await node.seal({ userId: 'u1' }, { ...options, oneTime: true })
    expect(await web.unseal(sealed, { purpose: 'magic-link', storage })).toEqual({ userId: 'u1' })
    await expect(node.unseal(sealed, { purpose: 'magic-link', storage })).rejects.toMatchObject({
      code: 'TOKEN_USED',
    })
    expect(await node.unseal(await web.seal(7, options), { purpose: 'magic-link' })).toBe(7)
  })
})

describe('v1 data token vectors with nodeCrypto', () => dataVectorSuite(nodeCrypto))
