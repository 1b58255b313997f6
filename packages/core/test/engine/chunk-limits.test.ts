import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent } from '../../src'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { decodeBase64url } from '../../src/internal'
import { cookiePair, FakeBrowser, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

const Big = defineSession<{ blob: string }>()('big', { protection: 'signed' })

/** A string that does not compress away, about `length` characters. */
const blob = (length: number) =>
  Array.from({ length }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('')

function engineWith(maxChunks: number, events: InvalidSessionEvent[] = []) {
  return createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Big, { chunking: { maxChunks } })],
    onInvalid: (event) => events.push(event),
  })
}

describe('maxChunks holds when reading, not only when writing', () => {
  it('an authentic token in more chunks than maxChunks is refused (MALFORMED); a count over the bound is not trusted, so only its own cookie is cleared', async () => {
    const writer = new FakeBrowser(engineWith(4))
    const value = { blob: blob(12_000) }
    await writer.request((s) => s.set(Big, value))
    expect([...writer.cookies.keys()]).toEqual(['big', 'big.1', 'big.2', 'big.3'])
    expect((await writer.request((s) => s.get(Big))).result).toEqual(value)

    const events: InvalidSessionEvent[] = []
    const reader = new FakeBrowser(engineWith(3, events))
    for (const [name, token] of writer.cookies) reader.cookies.set(name, token)
    const { result, io } = await reader.request((s) => s.get(Big))
    expect(result).toBeNull()
    expect(events).toEqual([{ session: 'big', reason: 'MALFORMED' }])
    const cleared = io.setCookies().filter(isClearing)
    expect(cleared.map((line) => cookiePair(line).name)).toEqual(['big'])
    // The chunks stay until they expire; a later write of the session replaces or clears those within maxChunks.
    expect([...reader.cookies.keys()]).toEqual(['big.1', 'big.2', 'big.3'])
  })

  it('a token in exactly maxChunks chunks reads', async () => {
    const browser = new FakeBrowser(engineWith(4))
    const value = { blob: blob(12_000) }
    await browser.request((s) => s.set(Big, value))
    expect(browser.cookies.size).toBe(4)
    expect((await browser.request((s) => s.get(Big))).result).toEqual(value)
  })
})

describe('where a cookie is split', () => {
  /**
   * A session, and the blob length that makes its raw cookie value exactly `valueLength` characters
   * (the token is `<head>.<base64url of the payload>.<tag>`: its length follows the payload's bytes).
   */
  async function exactly(valueLength: (name: string) => number, maxChunks = 4) {
    for (const name of ['big', 'bigs', 'bigss', 'bigsss']) {
      const Session = defineSession<{ blob: string }>()(name, { protection: 'signed' })
      const engine = createSessionEngine({
        secret: SECRET,
        sessions: [cookie(Session, { chunking: { maxChunks: 4 } })],
      })
      const probe = new FakeBrowser(engine)
      await probe.request((s) => s.set(Session, { blob: blob(100) }))
      const token = probe.cookies.get(name)!
      const body = token.split('.')[5]!
      const payloadBytes = decodeBase64url(body)!.length
      const rest = token.length - body.length
      const wanted = valueLength(name) - rest
      // base64url of n bytes is floor((4n + 2) / 3) characters: no n gives a length of 1 modulo 4.
      if (wanted % 4 === 1) continue
      const bytes = Math.floor((wanted * 3) / 4)
      const browser = new FakeBrowser(
        createSessionEngine({ secret: SECRET, sessions: [cookie(Session, { chunking: { maxChunks } })] }),
      )
      return { Session, browser, value: { blob: blob(100 + bytes - payloadBytes) } }
    }
    throw new Error('no session name gives that length')
  }

  it('a cookie of exactly 4096 bytes stays one cookie', async () => {
    const { Session, browser, value } = await exactly((name) => 4096 - name.length - 1)
    const { io } = await browser.request((s) => s.set(Session, value))
    const [pair, ...more] = io.setCookies().map(cookiePair)
    expect(more).toEqual([])
    expect(pair!.name.length + 1 + pair!.value.length).toBe(4096)
    expect((await browser.request((s) => s.get(Session))).result).toEqual(value)
  })

  it('without chunking, a cookie of exactly 4096 bytes is written; one byte more is TOO_LARGE, giving its size', async () => {
    const fits = await exactly((name) => 4096 - name.length - 1, 1)
    const { io } = await fits.browser.request((s) => s.set(fits.Session, fits.value))
    expect(io.setCookies()).toHaveLength(1)
    expect((await fits.browser.request((s) => s.get(fits.Session))).result).toEqual(fits.value)

    const over = await exactly((name) => 4096 - name.length, 1)
    const name = over.Session.name
    const error = await over.browser
      .request((s) => s.set(over.Session, over.value))
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'TOO_LARGE',
      message: `session "${name}": the cookie would be 4097 bytes, over the browser limit of 4096; store it server-side, make it smaller or enable chunking`,
    })
  })

  it('with chunking, a cookie one byte over 4096 is split in two', async () => {
    const { Session, browser, value } = await exactly((name) => 4096 - name.length)
    const { io } = await browser.request((s) => s.set(Session, value))
    expect(io.setCookies().map((line) => cookiePair(line).name)).toEqual([Session.name, `${Session.name}.1`])
    expect((await browser.request((s) => s.get(Session))).result).toEqual(value)
  })

  it('a token of exactly two chunks is two full cookies and reads back', async () => {
    const capacity = (name: string) => 4096 - name.length - 8
    const { Session, browser, value } = await exactly((name) => 2 * capacity(name))
    const { io } = await browser.request((s) => s.set(Session, value))
    const pairs = io.setCookies().map(cookiePair)
    expect(pairs.map((pair) => pair.name)).toEqual([Session.name, `${Session.name}.1`])
    expect(pairs[1]!.value).toHaveLength(capacity(Session.name))
    expect((await browser.request((s) => s.get(Session))).result).toEqual(value)
  })
})

describe('what is a chunk marker', () => {
  it('only a count from 2 to 99 and "~" at the very start of the value', async () => {
    const browser = new FakeBrowser(engineWith(1))
    await browser.request((s) => s.set(Big, { blob: 'x' }))
    const token = browser.cookies.get('big')!
    for (const prefix of ['x2~', '05~', '1.~', '1~', '100~']) {
      const events: InvalidSessionEvent[] = []
      const sessions = engineWith(3, events).open(fakeIO({ cookie: `big=${prefix}${token}` }).io)
      expect(await sessions.get(Big)).toBeNull()
      expect(events).toEqual([{ session: 'big', reason: 'MALFORMED' }])
    }
  })
})
