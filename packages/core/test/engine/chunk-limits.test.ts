import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent } from '../../src'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { cookiePair, FakeBrowser, isClearing, SECRET } from '../helpers/fake-io'

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
  it('an authentic token in more chunks than maxChunks is refused (MALFORMED), and every chunk is cleared', async () => {
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
    expect(cleared.map((line) => cookiePair(line).name)).toEqual(['big', 'big.1', 'big.2', 'big.3'])
    expect(reader.cookies.size).toBe(0)
  })

  it('a token in exactly maxChunks chunks reads', async () => {
    const browser = new FakeBrowser(engineWith(4))
    const value = { blob: blob(12_000) }
    await browser.request((s) => s.set(Big, value))
    expect(browser.cookies.size).toBe(4)
    expect((await browser.request((s) => s.get(Big))).result).toEqual(value)
  })
})
