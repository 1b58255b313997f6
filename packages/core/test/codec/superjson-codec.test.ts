import superjson from 'superjson'
import { describe, expect, it, vi } from 'vitest'
import { jsonCodec, superjsonCodec } from '../../src'

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const nullProto = (entries: Record<string, unknown>) => Object.assign(Object.create(null), entries)

describe('superjsonCodec', () => {
  const plain: [string, unknown][] = [
    ['null', null],
    ['true', true],
    ['a string', 'x'],
    ['an empty string', ''],
    ['zero', 0],
    ['a float', 19.5],
    ['a large number', 1e21],
    ['a dense array', [1, 'a', null, [true]]],
    ['an empty object', {}],
    ['a nested plain object', { a: { b: [{ c: 'd' }] } }],
    ['a null-prototype object', nullProto({ a: 1 })],
    ['a string with a lone surrogate', '\ud800'],
  ]
  const rich: [string, unknown][] = [
    ['undefined', undefined],
    ['-0', -0],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a BigInt', 1n],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a Set', new Set()],
    ['a RegExp', /x/],
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    ['a sparse array', [1, , 3]],
    ['an array holding undefined', [undefined]],
    ['an object holding undefined', { a: undefined }],
    ['an object holding -0', { a: -0 }],
    ['an Error', new Error('x')],
    ['a class instance', new Point(1, 2)],
    ['a Date deep inside', { a: [{ b: new Date(0) }] }],
    ['70 levels of arrays', Array.from({ length: 70 }).reduce<unknown>((inner) => [inner], 1)],
  ]
  for (const [label, value] of plain) {
    it(`writes ${label} as {"json":…} with one JSON.stringify, as superjson does`, async () => {
      const text = await superjsonCodec.encode(value)
      expect(text).toBe(`{"json":${JSON.stringify(value)}}`)
      expect(text).toBe(superjson.stringify(value))
    })
  }
  for (const [label, value] of rich) {
    it(`writes ${label} through superjson, and reads it back`, async () => {
      const text = await superjsonCodec.encode(value)
      expect(text).toBe(superjson.stringify(value))
      expect(await superjsonCodec.decode(text)).toEqual(superjson.parse(text))
    })
  }

  it('loads superjson only for a value or a text that needs it, then answers synchronously', async () => {
    vi.resetModules()
    const fresh = (await import('../../src/codec?second-copy')).superjsonCodec as typeof superjsonCodec
    // JSON-plain values and texts without meta never wait for superjson.
    expect(fresh.encode({ a: 1 })).toBe('{"json":{"a":1}}')
    expect(fresh.decode('{"json":{"a":1}}')).toEqual({ a: 1 })
    const written = fresh.encode({ at: new Date(0) })
    expect(written).toBeInstanceOf(Promise)
    const text = await written
    expect(text).toBe(superjson.stringify({ at: new Date(0) }))
    // Loaded: the rich path is synchronous too.
    expect(fresh.encode({ at: new Date(0) })).toBe(text)
    expect(fresh.decode(text)).toEqual({ at: new Date(0) })
  })

  it('tries to load superjson again after a failed load', async () => {
    vi.resetModules()
    let attempts = 0
    vi.doMock('superjson', () => {
      attempts++
      if (attempts === 1) throw new Error('the chunk did not load')
      return { default: superjson }
    })
    try {
      const fresh = (await import('../../src/codec?third-copy')).superjsonCodec as typeof superjsonCodec
      await expect(async () => fresh.encode(new Date(0))).rejects.toThrow()
      expect(await fresh.encode(new Date(0))).toBe(superjson.stringify(new Date(0)))
      expect(attempts).toBe(2)
    } finally {
      vi.doUnmock('superjson')
    }
  })

  const richValues: [string, unknown][] = [
    ['a Date', { at: new Date(Date.UTC(2027, 0, 15)) }],
    [
      'a Map',
      {
        items: new Map<string, unknown>([
          ['A-1', 2],
          ['B', { n: 1 }],
        ]),
      },
    ],
    ['a Set', { tags: new Set(['gift', 'sale']) }],
    ['a BigInt', { big: 12345678901234567890n }],
    ['undefined', { coupon: undefined, list: [undefined] }],
    ['all of them', { d: new Date(5), m: new Map([[1, new Set([2n])]]), u: undefined, n: -0, r: /a+/gi }],
    ['a bare Date', new Date(1_800_000_000_000)],
    [
      'a cycle',
      (() => {
        const a: Record<string, unknown> = { n: 1 }
        a.self = a
        return a
      })(),
    ],
  ]
  for (const [label, value] of richValues) {
    it(`encodes ${label} exactly as superjson.stringify, and decodes it back`, async () => {
      const text = await superjsonCodec.encode(value)
      expect(text).toBe(superjson.stringify(value))
      expect(await superjsonCodec.decode(text)).toEqual(superjson.parse(text))
      expect(await superjsonCodec.decode(text)).toEqual(value)
    })
  }

  const plainValues: unknown[] = [
    { items: [{ sku: 'A-1', qty: 2 }], total: 19.5 },
    'text',
    0,
    null,
    [],
    { nested: { deep: ['é', '🛒', '\u0000', '\ud800'] } },
  ]
  it('writes JSON-plain values on the fast path as {"json":…}, byte for byte superjson.stringify', async () => {
    // Both halves are loaded: what follows is synchronous.
    await superjsonCodec.encode(null)
    await superjsonCodec.decode('{"json":null}')
    for (const value of plainValues) {
      const text = superjsonCodec.encode(value)
      expect(typeof text).toBe('string') // synchronous: no promise, no superjson load
      expect(text).toBe(`{"json":${JSON.stringify(value)}}`)
      expect(text).toBe(superjson.stringify(value))
      expect(superjson.parse(text as string)).toEqual(value)
      expect(superjsonCodec.decode(text as string)).toEqual(value)
    }
  })

  it('decodes text superjson wrote, with and without meta', async () => {
    expect(await superjsonCodec.decode('{"json":{"a":1}}')).toEqual({ a: 1 })
    expect(
      await superjsonCodec.decode('{"json":"2027-01-01T00:00:00.000Z","meta":{"values":["Date"],"v":1}}'),
    ).toEqual(new Date('2027-01-01T00:00:00.000Z'))
  })

  it('throws from decode on malformed text', async () => {
    for (const text of ['', 'not json', '{"json":', '[]', 'null', '1', '"json"', '{"jsn":1}', '{}']) {
      await expect(async () => superjsonCodec.decode(text), text).rejects.toThrow()
    }
  })

  it('refuses __proto__ keys on decode, escaped or not, with or without meta', async () => {
    const hostile = [
      '{"json":{"__proto__":{"admin":true}}}',
      '{"json":{"a":[{"__proto__":{"admin":true}}]}}',
      '{"json":{"\\u005f_proto__":{"admin":true}}}',
      '{"json":{"constructor":{"prototype":{"admin":true}}}}',
      '{"json":{"__proto__":{"d":"2027-01-01T00:00:00.000Z"}},"meta":{"values":{"__proto__.d":["Date"]},"v":1}}',
    ]
    for (const text of hostile) await expect(async () => superjsonCodec.decode(text), text).rejects.toThrow()
    // Keys that merely contain the letters stay fine.
    expect(await superjsonCodec.decode('{"json":{"proto":1,"constructor":"x","prototype":2}}')).toEqual({
      proto: 1,
      constructor: 'x',
      prototype: 2,
    })
    expect(await superjsonCodec.decode('{"json":{"a":"\\u00e9"}}')).toEqual({ a: 'é' })
  })

  it('refuses to encode __proto__, constructor and prototype keys, as superjson does, on either path', async () => {
    const values = [
      JSON.parse('{"__proto__":{"admin":true}}'),
      { constructor: 'x' },
      [{ prototype: false }],
      { constructor: 'x', at: new Date(0) },
    ]
    for (const value of values) {
      expect(() => superjson.stringify(value)).toThrow()
      await expect(async () => superjsonCodec.encode(value)).rejects.toThrow()
    }
  })
})

describe('jsonCodec', () => {
  it('round-trips JSON values', () => {
    const value = { a: [1, 'b', null], c: { d: true } }
    expect(jsonCodec.decode(jsonCodec.encode(value) as string)).toEqual(value)
    expect(jsonCodec.encode(value)).toBe(JSON.stringify(value))
  })

  it('throws for values without a JSON form and for malformed text', () => {
    expect(() => jsonCodec.encode(undefined)).toThrow()
    expect(() => jsonCodec.encode(() => 1)).toThrow()
    expect(() => jsonCodec.encode(1n)).toThrow()
    expect(() => jsonCodec.decode('{')).toThrow()
  })
})
