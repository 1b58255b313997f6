import { describe, expect, it } from 'vitest'
import type { SessionCrypto } from '../../src'
import { cookie, createSessionEngine, defineSession, webCrypto } from '../../src'
import { FakeBrowser, fakeClock } from '../helpers/fake-io'

const SECRET = 'a test secret that is at least 32 bytes long!'
const Cart = defineSession<{ n: number }>()('cart', { protection: 'signed' })

/** webCrypto, counting how many tags it computes. */
function countingCrypto() {
  const counter = { tags: 0 }
  const crypto: SessionCrypto = {
    ...webCrypto,
    async hmacSha256(key) {
      const tag = await webCrypto.hmacSha256(key)
      return (data) => {
        counter.tags++
        return tag(data)
      }
    },
  }
  return { crypto, counter }
}

function setup(tokenCache?: number) {
  const clock = fakeClock()
  const { crypto, counter } = countingCrypto()
  const engine = createSessionEngine({
    secret: SECRET,
    crypto,
    now: clock.now,
    sessions: [cookie(Cart, tokenCache === undefined ? {} : { tokenCache })],
  })
  return { engine, counter, clock, browser: new FakeBrowser(engine) }
}

describe('token cache', () => {
  it('a token this process wrote, sent back, is read without computing its tag again', async () => {
    const { browser, counter } = setup()
    await browser.request((s) => s.set(Cart, { n: 1 }))
    expect(counter.tags).toBe(1)
    for (let i = 0; i < 3; i++) expect((await browser.request((s) => s.get(Cart))).result).toEqual({ n: 1 })
    expect(counter.tags).toBe(1)
  })

  it('with tokenCache: 0 every read verifies', async () => {
    const { browser, counter } = setup(0)
    await browser.request((s) => s.set(Cart, { n: 1 }))
    for (let i = 0; i < 3; i++) await browser.request((s) => s.get(Cart))
    expect(counter.tags).toBe(4)
  })

  it('holds at most tokenCache tokens, oldest out first: an evicted token is verified again', async () => {
    const { engine, counter } = setup(2)
    const browsers = [0, 1, 2].map(() => new FakeBrowser(engine))
    for (const [n, browser] of browsers.entries()) await browser.request((s) => s.set(Cart, { n }))
    expect(counter.tags).toBe(3)
    const read = async (n: number) => {
      expect((await browsers[n]!.request((s) => s.get(Cart))).result).toEqual({ n })
      return counter.tags
    }
    expect(await read(2)).toBe(3) // remembered
    expect(await read(1)).toBe(3) // remembered
    expect(await read(0)).toBe(4) // the oldest was let go: verified again, and remembered
    expect(await read(0)).toBe(4)
    expect(await read(1)).toBe(5) // now the oldest, it made room for the first
  })

  it('remembers a token it verified, not only one it wrote: the same cookie is verified once', async () => {
    const writer = setup()
    await writer.browser.request((s) => s.set(Cart, { n: 1 }))
    const reader = setup()
    reader.browser.cookies.set('cart', writer.browser.cookies.get('cart')!)
    for (let i = 0; i < 3; i++)
      expect((await reader.browser.request((s) => s.get(Cart))).result).toEqual({ n: 1 })
    expect(reader.counter.tags).toBe(1)
  })

  it('a remembered token is still refused once it expired', async () => {
    const { browser, clock } = setup()
    await browser.request((s) => s.set(Cart, { n: 1 }))
    clock.advance(8 * 86_400)
    expect((await browser.request((s) => s.get(Cart))).result).toBeNull()
  })

  it('never remembers a forged token: each one is verified and refused', async () => {
    const { browser, counter } = setup()
    await browser.request((s) => s.set(Cart, { n: 1 }))
    const token = browser.cookies.get('cart')!
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`
    for (let i = 0; i < 3; i++) {
      browser.cookies.set('cart', forged)
      expect((await browser.request((s) => s.get(Cart))).result).toBeNull()
    }
    expect(counter.tags).toBe(4)
  })

  it('refuses a tokenCache that is not a count', () => {
    for (const tokenCache of [-1, 1.5]) {
      expect(() => createSessionEngine({ secret: SECRET, sessions: [cookie(Cart, { tokenCache })] })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      )
    }
  })
})
