/**
 * The default codec's limits on untrusted text: checked on the parsed `meta` before superjson reads
 * it (no shared references, annotation trees at most 64 deep, paths at most 64 segments).
 */
import superjson from 'superjson'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { superjsonCodec } from '../../src'
import { MAX_TOKEN_LENGTH } from '../../src/internal'
import { HANG_MS } from '../hardening/helpers/guards'

const UNTRUSTED = { untrusted: true }
/** The depth and path length the codec allows an untrusted payload's annotations. */
const UNTRUSTED_LIMIT = 64

/** What decoding `{"json":null,"meta":meta}` as untrusted refuses it for: the limit's message, or undefined. */
async function limitRefusal(meta: unknown): Promise<string | undefined> {
  const text =
    typeof meta === 'string' ? `{"json":null,"meta":${meta}}` : JSON.stringify({ json: null, meta })
  try {
    await superjsonCodec.decode(text, UNTRUSTED)
  } catch (error) {
    const message = (error as Error).message
    // superjson may refuse what passed the limits (a path into null): that is not a limit's refusal.
    if (/too long|too deep|must be an object|share references/.test(message)) return message
  }
  return undefined
}
const figures: string[] = []
afterAll(() => console.log(`[untrusted superjson] slowest decodes within the limits:\n${figures.join('\n')}`))

const sharing = '{"json":{"a":{},"b":null},"meta":{"referentialEqualities":{"a":["b"]},"v":1}}'
const selfHolding = '{"json":{"self":null},"meta":{"referentialEqualities":[["self"]],"v":1}}'
/** Shared references with a Date, which superjson writes for one Date met twice. */
const sharedDate =
  '{"json":{"x":"1970-01-01T00:00:00.000Z","y":"1970-01-01T00:00:00.000Z"},"meta":{"values":{"x":["Date"],"y":["Date"]},"referentialEqualities":{"x":["y"]},"v":1}}'

describe('superjsonCodec with { untrusted: true }', () => {
  it('walks only the objects of an annotation tree: a leaf written as a bare string is not taken apart', async () => {
    // Walking a string would take its characters for paths, each one a level deeper.
    expect(await limitRefusal({ values: 'Date' })).toBeUndefined()
    expect(await limitRefusal({ values: { a: 'x'.repeat(200) } })).toBeUndefined()
  })

  it('refuses referentialEqualities of any kind, which it decodes for trusted text', async () => {
    for (const text of [sharing, selfHolding, sharedDate]) {
      await expect(async () => superjsonCodec.decode(text, UNTRUSTED), text).rejects.toThrow(
        'may not share references',
      )
      await superjsonCodec.decode(text)
    }
    const trusted = (await superjsonCodec.decode(sharing)) as { a: object; b: object }
    expect(trusted.b).toBe(trusted.a)
    const cycle = (await superjsonCodec.decode(selfHolding, { untrusted: false })) as { self: unknown }
    expect(cycle.self).toBe(cycle)
  })

  it('refuses annotation trees past 64 levels and paths past 64 segments; escaped dots are part of a key', async () => {
    const path = (segments: number, key = 'a') => Array(segments).fill(key).join('.')
    const withPath = (p: string) => ({ values: { [p]: ['undefined'] }, v: 1 })
    expect(await limitRefusal(withPath(path(UNTRUSTED_LIMIT)))).toBeUndefined()
    expect(await limitRefusal(withPath(path(UNTRUSTED_LIMIT + 1)))).toMatch('path is too long')
    // An escaped backslash does not escape the dot after it: 65 segments joined by `\\.` are refused.
    expect(
      await limitRefusal(
        withPath(
          Array(UNTRUSTED_LIMIT + 1)
            .fill('a\\\\')
            .join('.'),
        ),
      ),
    ).toMatch('path is too long')
    // One key holding 99 dots is one segment.
    expect(await limitRefusal(withPath(Array(100).fill('a').join('\\.')))).toBeUndefined()
    const nested = (levels: number) => {
      let tree: unknown = ['set']
      for (let i = 1; i < levels; i++) tree = ['set', { 0: tree }]
      return { values: tree, v: 1 }
    }
    expect(await limitRefusal(nested(UNTRUSTED_LIMIT))).toBeUndefined()
    expect(await limitRefusal(nested(UNTRUSTED_LIMIT + 1))).toMatch('nests too deep')
    // Too deep for JSON.stringify to write: the text is built by hand.
    const levels = 100_000
    const deepText = `{"values":${'["set",{"0":'.repeat(levels - 1)}["set"]${'}]'.repeat(levels - 1)},"v":1}`
    expect(await limitRefusal(deepText)).toMatch('nests too deep')
    expect(await limitRefusal([])).toMatch('must be an object')
    expect(await superjsonCodec.decode('{"json":{"a":1}}', UNTRUSTED)).toEqual({ a: 1 })
  })

  it('encode refuses what decode would: shared references, a cycle, a tree too deep; not plain copies', async () => {
    const shared = { n: 1 }
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const deep = [...Array(UNTRUSTED_LIMIT)].reduce((inner: Set<unknown>) => new Set([inner]), new Set())
    for (const value of [
      new Map([
        [1, shared],
        [2, shared],
      ]),
      cyclic,
      { a: 1n, b: 1n },
      deep,
    ]) {
      await expect(async () => superjsonCodec.encode(value, UNTRUSTED)).rejects.toThrow()
      // Trusted, each is written, and reads back.
      const text = await superjsonCodec.encode(value)
      expect(await superjsonCodec.decode(text)).toEqual(value)
    }
    // JSON.stringify copies a plain shared object: nothing shared is written, nothing is refused.
    expect(await superjsonCodec.encode({ a: shared, b: shared }, UNTRUSTED)).toBe(
      '{"json":{"a":{"n":1},"b":{"n":1}}}',
    )
    const rich = { at: new Date(0), tags: new Set([1n]), m: new Map([['k', undefined]]) }
    expect(await superjsonCodec.decode(await superjsonCodec.encode(rich, UNTRUSTED), UNTRUSTED)).toEqual(rich)
  })
})

describe('the work of decoding untrusted text within the limits', () => {
  /** The largest payload a `none` token carries: base64url of it fills MAX_TOKEN_LENGTH. */
  const MAX_PAYLOAD = Math.floor(((MAX_TOKEN_LENGTH - 32) * 3) / 4)
  /** The text of `build(count)` for the largest count that fits in MAX_PAYLOAD. */
  const largest = (build: (count: number) => string): string => {
    let low = 1
    let high = MAX_PAYLOAD
    while (low < high) {
      const middle = Math.ceil((low + high) / 2)
      if (build(middle).length <= MAX_PAYLOAD) low = middle
      else high = middle - 1
    }
    return build(low)
  }
  const payload = (json: unknown, values: unknown) => JSON.stringify({ json, meta: { values, v: 1 } })
  const spine = Array(UNTRUSTED_LIMIT - 1).fill('k')
  const worst: [string, string][] = [
    [
      'a Set of BigInts, each annotated (superjson rebuilds the Set for each)',
      largest((count) => {
        const items = Array.from({ length: count }, (_, i) => String(i))
        return payload(items, ['set', Object.fromEntries(items.map((_, i) => [i, ['bigint']]))])
      }),
    ],
    [
      'a Map with an annotated key and value in every entry',
      largest((count) => {
        const rows = Array.from({ length: count }, (_, i) => [String(i), null])
        const values = Object.fromEntries(
          rows.flatMap((_, i) => [
            [`${i}.0`, ['bigint']],
            [`${i}.1`, ['undefined']],
          ]),
        )
        return payload(rows, ['map', values])
      }),
    ],
    [
      'annotations at the end of 64-segment paths',
      largest((count) => {
        const leaves = Array.from({ length: count }, (_, i) => `x${i}`)
        let json: unknown = Object.fromEntries(leaves.map((leaf) => [leaf, null]))
        for (let i = 0; i < spine.length; i++) json = { k: json }
        return payload(
          json,
          Object.fromEntries(leaves.map((leaf) => [[...spine, leaf].join('.'), ['undefined']])),
        )
      }),
    ],
    [
      'a 64-segment path of keys as long as the payload allows',
      largest((length) => {
        const keys = Array.from({ length: UNTRUSTED_LIMIT }, (_, i) => `${i}`.padEnd(length, 'k'))
        let json: unknown = null
        for (let i = keys.length - 1; i >= 0; i--) json = { [keys[i]!]: json }
        return payload(json, { [keys.join('.')]: ['undefined'] })
      }),
    ],
  ]
  for (const [label, text] of worst) {
    it(`${label}: ${Math.round(text.length / 1024)} KB decode within the hang bound`, async () => {
      expect(text.length).toBeLessThanOrEqual(MAX_PAYLOAD)
      await superjsonCodec.decode('{"json":0,"meta":{"values":["bigint"],"v":1}}') // superjson loaded
      const started = performance.now()
      const value = await superjsonCodec.decode(text, UNTRUSTED)
      const codecMs = performance.now() - started
      expect(value).toEqual(superjson.parse(text))
      figures.push(`  ${label}: ${text.length} bytes, ${codecMs.toFixed(1)} ms`)
      // Guards against a hang (a quadratic blow-up), not a speed assertion.
      expect(codecMs).toBeLessThan(HANG_MS)
    })
  }
})

// Last: it loads fresh copies of the codec with superjson mocked away.
describe('the order of the checks', () => {
  it('checks before either reader runs: superjson is never loaded for a refused payload', async () => {
    vi.resetModules()
    const refuse = () => {
      throw new Error('superjson was used')
    }
    vi.doMock('superjson', () => ({ default: { stringify: refuse, deserialize: refuse, parse: refuse } }))
    try {
      const fresh = (await import('../../src/codec?second-copy')).superjsonCodec as typeof superjsonCodec
      for (const text of [sharing, selfHolding]) {
        await expect(async () => fresh.decode(text, UNTRUSTED)).rejects.toThrow('may not share references')
      }
      // The same payload, trusted, goes to superjson (here: the mock, which refuses).
      await expect(async () => fresh.decode(sharing)).rejects.toThrow('superjson was used')
    } finally {
      vi.doUnmock('superjson')
    }
  })
})
