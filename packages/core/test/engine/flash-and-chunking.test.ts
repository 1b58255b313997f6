import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent } from '../../src'
import { cookie, createSessionEngine, defineSession, header, isSessionError, memoryStorage } from '../../src'
import { cookiePair, FakeBrowser, fakeClock, fakeIO, isClearing } from '../helpers/fake-io'

const SECRET = 'a test secret that is at least 32 bytes long!'
const Notice = defineSession<{ text: string }>()('notice', { protection: 'signed' })
const Big = defineSession<{ blob: string }>()('big', { protection: 'signed' })
const Counter = defineSession<{ n: number }>()('counter', { storage: 'server' })

function setup(chunking: NonNullable<Parameters<typeof cookie<typeof Big>>[1]>['chunking'] = true) {
  const clock = fakeClock()
  const events: InvalidSessionEvent[] = []
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Notice), cookie(Big, { chunking }), cookie(Counter, { storage: memoryStorage() })],
    now: clock.now,
    onInvalid: (event) => events.push(event),
  })
  return { engine, events, browser: new FakeBrowser(engine) }
}

/** A string that base64url-encodes to about `bytes` characters, and does not compress away. */
const blob = (bytes: number, seed = 0) =>
  Array.from({ length: Math.ceil((bytes * 3) / 4) }, (_, i) =>
    String.fromCharCode(97 + ((i * 7919 + seed) % 26)),
  ).join('')

describe('flash values: take reads once', () => {
  it('returns the value and ends the session; the next request sees null', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Notice, { text: 'Saved' }))
    const first = await browser.request((s) => s.take(Notice))
    expect(first.result).toEqual({ text: 'Saved' })
    expect(first.io.setCookies().some(isClearing)).toBe(true)
    expect((await browser.request((s) => s.take(Notice))).result).toBeNull()
  })

  it('writes nothing when there was no value', async () => {
    const { browser } = setup()
    const { result, io } = await browser.request((s) => s.take(Notice))
    expect(result).toBeNull()
    expect(io.setCookies()).toEqual([])
  })

  it('ends a server-stored flash value in the storage too', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Counter, { n: 1 }))
    expect((await browser.request((s) => s.take(Counter))).result).toEqual({ n: 1 })
    expect((await browser.request((s) => s.get(Counter))).result).toBeNull()
  })
})

describe('update', () => {
  it('ends the session when the function returns null', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Counter, { n: 1 }))
    const { result, io } = await browser.request((s) => s.update(Counter, () => null))
    expect(result).toBeNull()
    expect(io.setCookies().some(isClearing)).toBe(true)
    expect((await browser.request((s) => s.get(Counter))).result).toBeNull()
  })
})

describe('cookie chunking', () => {
  it('without chunking, a cookie over 4096 bytes is TOO_LARGE at set and nothing is written', async () => {
    const { engine } = setup(false)
    const io = fakeIO()
    const sessions = engine.open(io.io)
    const error = await sessions.set(Big, { blob: blob(5000) }).catch((caught: unknown) => caught)
    expect(isSessionError(error, 'TOO_LARGE')).toBe(true)
    expect((error as Error).message).not.toContain(blob(5000).slice(0, 20))
    sessions.commit()
    expect(io.setCookies()).toEqual([])
  })

  it('splits a large token across cookies of at most 4096 bytes and reassembles it', async () => {
    const { browser } = setup()
    const value = { blob: blob(10000) }
    const { io } = await browser.request((s) => s.set(Big, value))
    const pairs = io.setCookies().map(cookiePair)
    expect(pairs.map((pair) => pair.name)).toEqual(['big', 'big.1', 'big.2'])
    expect(pairs[0]!.value).toMatch(/^3~v1\.s\./)
    for (const pair of pairs) expect(pair.name.length + 1 + pair.value.length).toBeLessThanOrEqual(4096)
    expect((await browser.request((s) => s.get(Big))).result).toEqual(value)
  })

  it('refuses a token that needs more than maxChunks cookies: TOO_LARGE', async () => {
    const { engine } = setup({ maxChunks: 2 })
    const sessions = engine.open(fakeIO().io)
    await expect(sessions.set(Big, { blob: blob(10000) })).rejects.toMatchObject({ code: 'TOO_LARGE' })
  })

  it('a missing chunk means absent, with reason CHUNK_MISSING, and every chunk is cleared', async () => {
    const { browser, events } = setup()
    await browser.request((s) => s.set(Big, { blob: blob(10000) }))
    browser.cookies.delete('big.1')
    const { result, io } = await browser.request((s) => s.get(Big))
    expect(result).toBeNull()
    expect(events.map((event) => event.reason)).toEqual(['CHUNK_MISSING'])
    expect(
      io
        .setCookies()
        .filter(isClearing)
        .map((line) => cookiePair(line).name),
    ).toEqual(['big', 'big.1', 'big.2'])
    // Nothing of the broken token is left behind.
    expect([...browser.cookies.keys()]).toEqual([])
  })

  it('a tampered chunked token is cleared, every chunk of it', async () => {
    const { browser, events } = setup()
    await browser.request((s) => s.set(Big, { blob: blob(10000) }))
    const last = browser.cookies.get('big.2')!
    browser.cookies.set('big.2', `${last.slice(0, -4)}AAAA`)
    const { result, io } = await browser.request((s) => s.get(Big))
    expect(result).toBeNull()
    expect(events.map((event) => event.reason)).toEqual(['SIGNATURE_INVALID'])
    expect(
      io
        .setCookies()
        .filter(isClearing)
        .map((line) => cookiePair(line).name),
    ).toEqual(['big', 'big.1', 'big.2'])
  })

  it('chunks swapped from another token fail authentication', async () => {
    const { browser, events } = setup()
    await browser.request((s) => s.set(Big, { blob: blob(10000) }))
    const firstChunk = browser.cookies.get('big.1')!
    await browser.request((s) => s.set(Big, { blob: blob(10000, 1) }))
    browser.cookies.set('big.1', firstChunk)
    expect((await browser.request((s) => s.get(Big))).result).toBeNull()
    expect(events.map((event) => event.reason)).toEqual(['SIGNATURE_INVALID'])
  })

  it('shrinking back to one cookie clears the chunks left over', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Big, { blob: blob(10000) }))
    const { io } = await browser.request((s) => s.set(Big, { blob: 'small' }))
    const lines = io.setCookies()
    expect(lines.filter((line) => !isClearing(line)).map((line) => cookiePair(line).name)).toEqual(['big'])
    expect(lines.filter(isClearing).map((line) => cookiePair(line).name)).toEqual(['big.1', 'big.2'])
    expect([...browser.cookies.keys()]).toEqual(['big'])
    expect((await browser.request((s) => s.get(Big))).result).toEqual({ blob: 'small' })
  })

  it('clear ends every chunk', async () => {
    const { browser } = setup()
    await browser.request((s) => s.set(Big, { blob: blob(10000) }))
    const { io } = await browser.request((s) => s.clear(Big))
    expect(
      io
        .setCookies()
        .filter(isClearing)
        .map((line) => cookiePair(line).name),
    ).toEqual(['big', 'big.1', 'big.2'])
    expect(browser.cookies.size).toBe(0)
  })

  it('a chunk marker on a session without chunking is just a malformed token', async () => {
    const { engine, events } = setup(false)
    const sessions = engine.open(fakeIO({ cookie: 'big=2~v1.s.0.1.2.abc; big.1=def' }).io)
    expect(await sessions.get(Big)).toBeNull()
    expect(events.map((event) => event.reason)).toEqual(['MALFORMED'])
  })

  it('a forged count over maxChunks clears only its own cookie, however high it claims (#13, 7)', async () => {
    const { engine, events } = setup({ maxChunks: 3 })
    const io = fakeIO({ cookie: 'big=99~v1.s.0.1.2.abc' })
    const sessions = engine.open(io.io)
    expect(await sessions.get(Big)).toBeNull()
    sessions.commit()
    expect(events.map((event) => event.reason)).toEqual(['MALFORMED'])
    expect(io.setCookies().map((line) => cookiePair(line).name)).toEqual(['big'])
  })

  it('refuses a cookie session named like a chunk of a chunked one: DUPLICATE, in either order (#13, 6)', () => {
    const Chunk = defineSession<string>()('big.2', { protection: 'signed' })
    for (const sessions of [
      [cookie(Big, { chunking: { maxChunks: 3 } }), cookie(Chunk)],
      [cookie(Chunk), cookie(Big, { chunking: true })],
    ]) {
      expect(() => createSessionEngine({ secret: SECRET, sessions })).toThrow(
        expect.objectContaining({
          code: 'DUPLICATE',
          session: 'big.2',
          message:
            'cookie "big.2" has the name of chunk 2 of the chunked cookie "big"; rename one, or lower its chunking.maxChunks',
        }),
      )
    }
    // Past the chunks a session may use, or in a header, the name is free.
    const Header = defineSession<string>()('big.2', { transport: 'header', protection: 'signed' })
    for (const sessions of [
      [cookie(Big, { chunking: { maxChunks: 2 } }), cookie(Chunk)],
      [cookie(Big, { chunking: true }), header(Header)],
      [cookie(Big), cookie(Chunk)],
    ]) {
      expect(createSessionEngine({ secret: SECRET, sessions }).has(Big)).toBe(true)
    }
  })

  it('refuses maxChunks outside 1 to 99, and header sessions have no chunking', () => {
    for (const maxChunks of [0, 100, 2.5]) {
      expect(() =>
        createSessionEngine({ secret: SECRET, sessions: [cookie(Big, { chunking: { maxChunks } })] }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    }
    const Header = defineSession('h', { transport: 'header', protection: 'signed' })
    // @ts-expect-error: chunking is a cookie option, refused by name in plain JavaScript too
    expect(() => header(Header, { chunking: true })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('unknown option chunking'),
      }),
    )
  })
})
