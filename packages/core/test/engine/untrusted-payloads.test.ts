/**
 * A browser-owned (`protection: 'none'`) session's payload is written by whoever holds the browser:
 * the engine decodes it as untrusted. Shared references (superjson's `referentialEqualities`) would
 * turn a 2 KB cookie into a graph of 2^40 leaves, or a cycle; the engine reads such a payload as
 * absent (DECODE_FAILED) and refuses at `set` the values that would give one (ENCODE_FAILED).
 */
import superjson from 'superjson'
import { describe, expect, it, vi } from 'vitest'
import type { InvalidSessionEvent } from '../../src'
import { cookie, createSessionEngine, defineSession, header, isSessionError } from '../../src'
import { encodeBase64url } from '../../src/internal'
import { FakeBrowser, fakeIO, SECRET } from '../helpers/fake-io'

const NOW = 1_800_000_000
const Prefs = defineSession<unknown>()('prefs', { protection: 'none', visibility: 'client' })
const Draft = defineSession<unknown>()('draft', {
  protection: 'none',
  visibility: 'client',
  transport: 'header',
})
const Cart = defineSession<unknown>()('cart', { protection: 'signed' })

/** A `none` token as an attacker writes it: any payload, no key. */
const noneToken = (payload: string) => `v1.n.${NOW}.0.${encodeBase64url(new TextEncoder().encode(payload))}`

/**
 * superjson text of 41 pairs whose `referentialEqualities` point both slots of pair i + 1 at pair i:
 * once decoded, pair 40 reaches 2^40 leaves through 80 objects.
 */
function aliasingBomb(depth = 40): string {
  const json = [[0, 0], ...Array.from({ length: depth }, () => [null, null])]
  const equalities = Object.fromEntries(
    Array.from({ length: depth }, (_, i) => [String(i), [`${i + 1}.0`, `${i + 1}.1`]]),
  )
  return JSON.stringify({ json, meta: { referentialEqualities: equalities, v: 1 } })
}

/** Cycles: an object that holds itself, and a root that holds itself. */
const CYCLES = [
  '{"json":{"a":{"b":null}},"meta":{"referentialEqualities":{"a":["a.b"]},"v":1}}',
  '{"json":{"self":null},"meta":{"referentialEqualities":[["self"]],"v":1}}',
]

/** Reads `descriptor` from a request that carries `token`, as a cookie or a header. */
async function read(descriptor: typeof Prefs, token: string) {
  const events: InvalidSessionEvent[] = []
  const engine = createSessionEngine({
    sessions: [cookie(Prefs), header(Draft)],
    now: () => NOW * 1000,
    onInvalid: (event) => events.push(event),
  })
  const io = fakeIO(descriptor === Prefs ? { cookie: `prefs=${token}` } : { headers: { draft: token } })
  const started = performance.now()
  const value = await engine.open(io.io).get(descriptor)
  return { value, events, ms: performance.now() - started }
}

describe('an unauthenticated payload never decodes into shared or cyclic parts', () => {
  it('the attacker payload is real: superjson itself unfolds 1.4 KB into a graph of 2^40 leaves', () => {
    const bomb = aliasingBomb()
    expect(bomb.length).toBeLessThan(1500)
    expect(noneToken(bomb).length).toBeLessThan(2100)
    const unfolded = superjson.parse(bomb) as unknown[][]
    expect(unfolded[40]![0]).toBe(unfolded[40]![1])
    expect(unfolded[1]![0]).toBe(unfolded[0])
  })

  for (const [label, descriptor] of [
    ['cookie', Prefs],
    ['header', Draft],
  ] as const) {
    it(`${label}: the 2^40-leaf payload reads as absent (DECODE_FAILED), at once`, async () => {
      const { value, events, ms } = await read(descriptor, noneToken(aliasingBomb()))
      // Not toBeNull(): on failure, printing a 2^40-leaf value would hang the report.
      expect(value === null).toBe(true)
      expect(events).toEqual([{ session: descriptor.name, reason: 'DECODE_FAILED' }])
      // A guard against a hang, not a speed assertion: decoding the refused payload is a parse and a check.
      expect(ms).toBeLessThan(1000)
    })

    it(`${label}: a cycle reads as absent (DECODE_FAILED), so res.json never meets one`, async () => {
      for (const payload of CYCLES) {
        const { value, events } = await read(descriptor, noneToken(payload))
        expect(value === null, payload).toBe(true)
        expect(events).toEqual([{ session: descriptor.name, reason: 'DECODE_FAILED' }])
      }
    })
  }

  it('bounds the annotation tree: 64 levels and 64 path segments pass, 65 read as absent', async () => {
    const deepPath = (segments: number) =>
      JSON.stringify({
        json: JSON.parse(`${'{"a":'.repeat(segments)}null${'}'.repeat(segments)}`),
        meta: { values: { [Array(segments).fill('a').join('.')]: ['undefined'] }, v: 1 },
      })
    const nestedSets = (levels: number) => {
      let tree: unknown = ['set']
      for (let i = 1; i < levels; i++) tree = ['set', { 0: tree }]
      return JSON.stringify({
        json: JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`),
        meta: { values: tree, v: 1 },
      })
    }
    const atLimit = await read(Prefs, noneToken(deepPath(64)))
    expect(atLimit.events).toEqual([])
    let node = atLimit.value as Record<string, unknown>
    for (let i = 0; i < 63; i++) node = node.a as Record<string, unknown>
    expect(Object.hasOwn(node, 'a') && node.a === undefined).toBe(true)
    expect((await read(Prefs, noneToken(nestedSets(64)))).value).toBeInstanceOf(Set)

    for (const payload of [deepPath(65), nestedSets(65)]) {
      const { value, events } = await read(Prefs, noneToken(payload))
      expect(value).toBeNull()
      expect(events).toEqual([{ session: 'prefs', reason: 'DECODE_FAILED' }])
    }
  })

  it('still reads the rich values a browser-owned session holds', async () => {
    const value = { at: new Date(0), tags: new Set(['a']), counts: new Map([['x', 1n]]), gone: undefined }
    const engine = createSessionEngine({ sessions: [cookie(Prefs)] })
    const browser = new FakeBrowser(engine)
    await browser.request((sessions) => sessions.set(Prefs, value))
    expect((await browser.request((sessions) => sessions.get(Prefs))).result).toEqual(value)
  })
})

describe('set refuses for a browser-owned session what its reading would refuse', () => {
  const shared = { theme: 'dark' }
  const cyclic: Record<string, unknown> = { n: 1 }
  cyclic.self = cyclic
  const sameDate = new Date(0)
  // A JSON-plain value is written by JSON.stringify, which copies a shared object: only richer values
  // reach superjson's shared references.
  const refused: [string, unknown][] = [
    ['one object twice', { a: shared, b: [shared], at: new Date(0) }],
    [
      'one object twice, in a Map',
      new Map([
        ['a', shared],
        ['b', shared],
      ]),
    ],
    ['a cycle', cyclic],
    // superjson records a Date, BigInt or NaN met twice as a shared reference too.
    ['one Date twice', { created: sameDate, updated: sameDate }],
    ['one BigInt twice', { min: 1n, max: 1n }],
    ['a Set 65 levels deep', [...Array(64)].reduce((inner: Set<unknown>) => new Set([inner]), new Set())],
  ]
  for (const [label, value] of refused) {
    it(`${label}: ENCODE_FAILED, and no cookie`, async () => {
      const engine = createSessionEngine({ sessions: [cookie(Prefs)] })
      const io = fakeIO()
      const sessions = engine.open(io.io)
      const error = await sessions.set(Prefs, value).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'ENCODE_FAILED')).toBe(true)
      sessions.commit()
      expect(io.setCookies()).toEqual([])
    })
  }

  it('a signed session, written by the server, keeps shared references', async () => {
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [cookie(Cart)] }))
    const item = { sku: 'A-1' }
    await browser.request((sessions) => sessions.set(Cart, { first: item, again: item, at: new Date(0) }))
    const { result } = await browser.request((sessions) => sessions.get(Cart))
    const back = result as { first: object; again: object; at: Date }
    expect(back.at).toEqual(new Date(0))
    expect(back.first).toEqual(item)
    expect(back.again).toBe(back.first)
  })

  it('a custom codec is told which text is untrusted', async () => {
    const decode = vi.fn((text: string) => JSON.parse(text) as unknown)
    const encode = vi.fn((value: unknown) => JSON.stringify(value))
    const codec = { name: 'spy', encode, decode }
    const Mine = defineSession<unknown>()('mine', { protection: 'none', visibility: 'client', codec })
    const Theirs = defineSession<unknown>()('theirs', { protection: 'signed', codec })
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Mine, Theirs] }))
    await browser.request(async (sessions) => {
      await sessions.set(Mine, 1)
      await sessions.set(Theirs, 2)
    })
    await browser.request(async (sessions) => [await sessions.get(Mine), await sessions.get(Theirs)])
    expect(encode.mock.calls).toEqual([
      [1, { untrusted: true }],
      [2, { untrusted: false }],
    ])
    expect(decode.mock.calls).toEqual([
      ['1', { untrusted: true }],
      ['2', { untrusted: false }],
    ])
  })
})
