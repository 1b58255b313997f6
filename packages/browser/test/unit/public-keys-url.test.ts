import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createSessionClient } from '../../src'
import { Cart, clearCookies, Prefs, publicKeys, setCookie, signed } from './fixtures'

/* `publicKeys` given as the URL of the server's keys route: fetched once, on the first read, checked. */

const cart = { items: [{ sku: 'A-1', qty: 2 }] }
let keys: Record<string, Record<string, string>>

beforeAll(async () => {
  keys = await publicKeys('cart')
})
afterEach(() => {
  clearCookies()
  vi.unstubAllGlobals()
})

/** Answers every fetch with `answer()`, and counts the calls. */
function serveKeys(answer: () => Response) {
  const fetch = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => answer())
  vi.stubGlobal('fetch', fetch)
  return fetch
}

describe('publicKeys by URL', () => {
  it('fetches the keys once, on the first read that needs them, and verifies with them', async () => {
    const fetch = serveKeys(() => Response.json(keys))
    const client = createSessionClient({ sessions: [Cart, Prefs], publicKeys: '/tessera/keys' })
    expect(fetch).not.toHaveBeenCalled()
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    expect(await client.get(Cart)).toEqual(cart)
    setCookie(`cart=${await signed('cart', { items: [] })}; Path=/`)
    expect(await client.get(Cart)).toEqual({ items: [] })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(fetch.mock.calls[0]![0]).toBe('/tessera/keys')
    expect(fetch.mock.calls[0]![1]).toMatchObject({ credentials: 'same-origin' })
  })

  it('rejects with INVALID_KEY naming the session when the route sent {} (an un-awaited publicKeys())', async () => {
    serveKeys(() => Response.json({}))
    const client = createSessionClient({ sessions: [Cart], publicKeys: '/tessera/keys' })
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    await expect(client.get(Cart)).rejects.toMatchObject({
      code: 'INVALID_KEY',
      session: 'cart',
      message: expect.stringContaining('needs its Ed25519 public keys'),
    })
  })

  it('rejects a body that is not an object of sessions, and an HTTP error, then fetches again', async () => {
    let answer = () => new Response('nope', { status: 404 })
    const fetch = serveKeys(() => answer())
    const client = createSessionClient({ sessions: [Cart], publicKeys: 'https://app.test/keys' })
    setCookie(`cart=${await signed('cart', cart)}; Path=/`)
    await expect(client.get(Cart)).rejects.toMatchObject({
      code: 'INVALID_KEY',
      message: 'the public keys at https://app.test/keys answered HTTP 404',
    })
    answer = () => Response.json(['not', 'keys'])
    await expect(client.get(Cart)).rejects.toMatchObject({ code: 'INVALID_KEY' })
    answer = () => Response.json(keys)
    expect(await client.get(Cart)).toEqual(cart)
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('an object of keys is still checked at once', () => {
    expect(() => createSessionClient({ sessions: [Cart], publicKeys: {} })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY', session: 'cart' }),
    )
  })
})
