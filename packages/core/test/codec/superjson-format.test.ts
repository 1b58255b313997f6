/**
 * The superjson wire format without superjson: every text written must be superjson's own, byte for
 * byte, and every value read must be the one superjson restores; anything else is declined.
 */
import fc from 'fast-check'
import superjson from 'superjson'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeSuperjsonFormat, encodeSuperjsonFormat } from '../../src/codec/superjson-format'

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype']
const protoNames = () =>
  [Object.prototype, Array.prototype, Function.prototype, Map.prototype, Error.prototype].map((p) =>
    Object.getOwnPropertyNames(p).join(),
  )
const pristine = protoNames()

/** The prototypes hold exactly what they held when the file loaded, and nothing answers `polluted`. */
function expectPrototypesUntouched(): void {
  expect(protoNames()).toEqual(pristine)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined()
}

/** True when superjson would write `referentialEqualities`: an object, BigInt or NaN met twice. */
function hasRepeat(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === 'bigint' || Number.isNaN(value)) {
    if (seen.has(value)) return true
    seen.add(value)
    return false
  }
  if (typeof value !== 'object' || value === null) return false
  if (seen.has(value)) return true
  seen.add(value)
  let parts: unknown[] = []
  if (Array.isArray(value)) parts = value
  else if (value instanceof Map) parts = [...value].flat()
  else if (value instanceof Set) parts = [...value]
  else if (value instanceof Error) parts = [value.name, value.message, (value as { cause?: unknown }).cause]
  else if (!(value instanceof Date || value instanceof RegExp || value instanceof URL)) {
    parts = Object.values(value)
  }
  return parts.some((part) => hasRepeat(part, seen))
}

/** Encodes and checks the text against superjson's. */
function expectSameText(value: unknown): string {
  const text = encodeSuperjsonFormat(value)
  expect(text).toBe(superjson.stringify(value))
  return text!
}

/** Decodes superjson's text of `value` and checks it against superjson's own reading. */
function expectSameValue(value: unknown): unknown {
  const text = superjson.stringify(value)
  const decoded = decodeSuperjsonFormat(JSON.parse(text))
  expect(decoded.ok).toBe(true)
  const restored = decoded.ok ? decoded.value : undefined
  expect(restored).toStrictEqual(superjson.parse(text))
  expect(superjson.stringify(restored)).toBe(text)
  return restored
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const cart = () => ({
  userId: 'u_1',
  items: new Map([
    ['sku-1', { qty: 1, price: 9.5 }],
    ['sku-2', { qty: 2, price: 4 }],
  ]),
  updatedAt: new Date(Date.UTC(2027, 0, 15)),
})

describe('encodeSuperjsonFormat', () => {
  it('writes the documented format for each standard type', () => {
    const at = '2027-01-15T00:00:00.000Z'
    expect(encodeSuperjsonFormat({ a: 1, b: ['x', null, true] })).toBe('{"json":{"a":1,"b":["x",null,true]}}')
    expect(encodeSuperjsonFormat(new Date(at))).toBe(`{"json":"${at}","meta":{"values":["Date"],"v":1}}`)
    expect(encodeSuperjsonFormat({ u: undefined, b: 12n })).toBe(
      '{"json":{"u":null,"b":"12"},"meta":{"values":{"u":["undefined"],"b":["bigint"]},"v":1}}',
    )
    expect(encodeSuperjsonFormat([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0])).toBe(
      '{"json":["NaN","Infinity","-Infinity","-0"],"meta":{"values":{"0":["number"],"1":["number"],"2":["number"],"3":["number"]},"v":1}}',
    )
    expect(encodeSuperjsonFormat({ r: /a\/b/gi })).toBe(
      '{"json":{"r":"/a\\\\/b/gi"},"meta":{"values":{"r":["regexp"]},"v":1}}',
    )
    expect(encodeSuperjsonFormat(new Map([['k', new Date(at)]]))).toBe(
      `{"json":[["k","${at}"]],"meta":{"values":["map",{"0.1":["Date"]}],"v":1}}`,
    )
    expect(encodeSuperjsonFormat({ s: new Set([1, undefined]) })).toBe(
      '{"json":{"s":[1,null]},"meta":{"values":{"s":["set",{"1":["undefined"]}]},"v":1}}',
    )
    expect(encodeSuperjsonFormat({ m: new Map(), s: new Set() })).toBe(
      '{"json":{"m":[],"s":[]},"meta":{"values":{"m":["map"],"s":["set"]},"v":1}}',
    )
  })

  const same: [string, () => unknown][] = [
    ['a cart with a Map and a Date', cart],
    ['undefined at the root', () => undefined],
    ['null, a string, a number at the root', () => [null, 'x', 1.5]],
    ['a BigInt at the root', () => -123456789012345678901234567890n],
    ['-0 alone', () => -0],
    ['Dates outside years 1000..9999', () => [new Date(-8.64e15), new Date(8.64e15), new Date(-1e13)]],
    ['a Map with object keys and rich values', () => new Map<unknown, unknown>([[{ a: 1n }, [undefined]]])],
    ['a Map in a Map in a Map', () => ({ m: new Map([['a', new Map([['b', new Map([[1n, 2n]])]])]]) })],
    ['a Set of Maps', () => new Set([new Map([[1, undefined]]), new Map()])],
    ['an Error', () => ({ e: new TypeError('boom') })],
    ['an Error with a cause', () => ({ e: new Error('boom', { cause: new Date(0) }) })],
    ['an Error whose cause is undefined', () => new Error('x', { cause: undefined })],
    ['a URL', () => ({ u: new URL('https://example.test/a?b=c#d') })],
    ['a RegExp with every flag', () => /[/]\d/dgimsuy],
    ['a null-prototype object', () => Object.assign(Object.create(null), { a: 1n, b: { c: undefined } })],
    [
      'Infinity twice (not tracked by identity)',
      () => ({ a: Number.POSITIVE_INFINITY, b: [Number.POSITIVE_INFINITY] }),
    ],
    ['equal strings and equal Dates that are distinct objects', () => ['s', 's', new Date(1), new Date(1)]],
    [
      'array-index keys, then the others in order',
      () => ({ b: 1n, 10: 2n, a: { 1: 3n, x: 4n }, 2: { y: 5n } }),
    ],
    ['keys at the array-index limit', () => ({ 4294967294: 1n, 4294967295: 2n, a: 3n, '01': 4n })],
    ['64 levels of nesting', () => nest(64, new Date(0))],
    ['64 levels of Maps', () => nestMaps(64)],
  ]
  for (const [label, make] of same) it(`writes superjson's bytes for ${label}`, () => expectSameText(make()))

  it('escapes dots and backslashes in paths', () => {
    const value = { 'a.b': { 'c\\': undefined }, '.': 1n, '\\': 2n, '': 3n, 'x\\.y': new Date(0) }
    const text = expectSameText(value)
    expect(JSON.parse(text).meta.values).toEqual({
      'a\\.b.c\\\\': ['undefined'],
      '\\.': ['bigint'],
      '\\\\': ['bigint'],
      '': ['bigint'],
      'x\\\\\\.y': ['Date'],
    })
  })

  const cycle: Record<string, unknown> = {}
  cycle.self = cycle
  const shared = { a: 1 }
  const sharedDate = new Date(0)
  // biome-ignore lint/suspicious/noSparseArray: the hole is the point
  const sparse = [1, , new Date(0)]
  const extraKey = Object.assign([1, 2], { foo: new Date(0) })
  const declined: [string, unknown][] = [
    ['a class instance', { p: new Point(1, 2) }],
    ['a symbol', { s: Symbol('s') }],
    ['a function', { f: () => 1 }],
    ['a typed array', { t: new Uint8Array([1]) }],
    ['a DataView', new DataView(new ArrayBuffer(1))],
    ['a boxed string', { s: new String('x') }],
    ['an invalid Date', { d: new Date(Number.NaN) }],
    ['a Date subclass', new (class extends Date {})(0)],
    ['a Map subclass', new (class extends Map {})()],
    ['an array subclass', new (class extends Array {})()],
    ['a sparse array', sparse],
    ['an array with an extra key', extraKey],
    ['an object met twice', { a: shared, b: [shared] }],
    ['a Date met twice', { a: sharedDate, b: sharedDate }],
    ['one BigInt value twice', { a: 1n, b: 1n }],
    ['NaN twice', [Number.NaN, { n: Number.NaN }]],
    ['a cycle', cycle],
    ['65 levels of nesting', nest(65, 1)],
    ['65 levels of Maps', nestMaps(65)],
    [
      'a throwing getter',
      {
        get x() {
          throw new Error('getter')
        },
      },
    ],
  ]
  for (const [label, value] of declined) {
    it(`declines ${label}`, () => {
      expect(encodeSuperjsonFormat(value)).toBeUndefined()
    })
  }

  for (const key of FORBIDDEN_KEYS) {
    it(`declines the key ${key}, which superjson refuses`, () => {
      const value = JSON.parse(`{"a":{"${key}":1}}`)
      expect(encodeSuperjsonFormat(value)).toBeUndefined()
      expect(() => superjson.stringify(value)).toThrow(key)
    })
  }

  it('accepts the forbidden words as Map keys and as values, as superjson does', () => {
    expectSameText(new Map(FORBIDDEN_KEYS.map((key) => [key, key])))
  })
})

describe('decodeSuperjsonFormat', () => {
  afterEach(expectPrototypesUntouched)

  it('restores each standard type as superjson does', () => {
    const restored = expectSameValue({
      at: new Date(Date.UTC(2027, 0, 15)),
      big: -12n,
      none: undefined,
      numbers: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0],
      re: /a\/b/gi,
      url: new URL('https://example.test/x'),
      map: new Map<unknown, unknown>([[{ k: 1n }, new Set([new Date(1)])]]),
      error: new RangeError('r', { cause: 2n }),
    }) as Record<string, unknown>
    expect(restored.at).toBeInstanceOf(Date)
    expect(restored.big).toBe(-12n)
    expect(Object.hasOwn(restored, 'none')).toBe(true)
    expect(Object.is((restored.numbers as number[])[3], -0)).toBe(true)
    expect(restored.error).toBeInstanceOf(Error)
    expect((restored.error as Error).name).toBe('RangeError')
    expect((restored.error as Error).cause).toBe(2n)
  })

  for (const [label, make] of [
    ['a cart', cart],
    ['a Date at the root', () => new Date(0)],
    ['undefined at the root', () => undefined],
    ['a Map at the root', () => new Map([[1, new Map([[2, undefined]])]])],
    ['escaped paths', () => ({ 'a.b': { 'c\\': undefined }, '.': 1n, '\\': 2n, '': 3n })],
    ['an Error without a cause', () => new Error('x')],
    ['a plain value', () => ({ a: [1, { b: 'c' }] })],
  ] as [string, () => unknown][]) {
    it(`restores ${label}`, () => expectSameValue(make()))
  }

  it('restores a payload without meta, or with a meta part that has no values', () => {
    expect(decodeSuperjsonFormat({ json: { a: 1 } })).toEqual({ ok: true, value: { a: 1 } })
    expect(decodeSuperjsonFormat({ json: 2, meta: { v: 1 } })).toEqual({ ok: true, value: 2 })
  })

  const declined: [string, unknown][] = [
    [
      'referentialEqualities',
      { json: { a: {}, b: {} }, meta: { referentialEqualities: { a: ['b'] }, v: 1 } },
    ],
    ['a class annotation', { json: { x: 1 }, meta: { values: [['class', 'Point']], v: 1 } }],
    ['a custom annotation', { json: 'x', meta: { values: [['custom', 'decimal']], v: 1 } }],
    ['a typed array', { json: [1], meta: { values: [['typed-array', 'Uint8Array']], v: 1 } }],
    ['a symbol', { json: 's', meta: { values: [['symbol', 's']], v: 1 } }],
    ['an unknown type', { json: 1, meta: { values: ['Temporal'], v: 1 } }],
    ['no version (legacy paths)', { json: '1', meta: { values: ['bigint'] } }],
    ['another version', { json: '1', meta: { values: ['bigint'], v: 2 } }],
    ['a null meta', { json: 1, meta: null }],
    ['an array meta', { json: 1, meta: [] }],
    ['values that are a string', { json: 1, meta: { values: 'Date', v: 1 } }],
    ['values that are null', { json: 1, meta: { values: null, v: 1 } }],
    ['an empty tree', { json: 1, meta: { values: [], v: 1 } }],
    ['a tree of three items', { json: [], meta: { values: ['set', {}, {}], v: 1 } }],
    ['children that are an array', { json: [], meta: { values: ['set', ['0']], v: 1 } }],
    ['a tree child that is a string', { json: { a: '1' }, meta: { values: { a: 'bigint' }, v: 1 } }],
    ['a malformed escape', { json: { a: '1' }, meta: { values: { '\\a': ['bigint'] }, v: 1 } }],
    ['a trailing backslash', { json: { a: '1' }, meta: { values: { 'a\\': ['bigint'] }, v: 1 } }],
    ['a path to nothing', { json: { a: '1' }, meta: { values: { b: ['bigint'] }, v: 1 } }],
    ['a path through a string', { json: { a: 'xy' }, meta: { values: { 'a.0': ['undefined'] }, v: 1 } }],
    ['a path through null', { json: { a: null }, meta: { values: { 'a.b': ['undefined'] }, v: 1 } }],
    ['an inherited property', { json: {}, meta: { values: { toString: ['undefined'] }, v: 1 } }],
    ['a non-canonical index', { json: ['1'], meta: { values: { '00': ['bigint'] }, v: 1 } }],
    ['an index past the end', { json: ['1'], meta: { values: { 1: ['undefined'] }, v: 1 } }],
    ['a negative index', { json: ['1'], meta: { values: { '-1': ['undefined'] }, v: 1 } }],
    ['an array length', { json: ['1'], meta: { values: { length: ['undefined'] }, v: 1 } }],
    [
      'a path into a leaf',
      { json: { a: '1' }, meta: { values: { a: ['bigint', { 0: ['undefined'] }] }, v: 1 } },
    ],
    [
      'overlapping paths',
      { json: { a: { b: '1' } }, meta: { values: { a: ['Error'], 'a.b': ['bigint'] }, v: 1 } },
    ],
    ['a Map entry replaced', { json: [[1, 2]], meta: { values: ['map', { 0: ['undefined'] }], v: 1 } }],
    ['a Map of non-entries', { json: [1], meta: { values: ['map'], v: 1 } }],
    ['a Set that is not an array', { json: {}, meta: { values: ['set'], v: 1 } }],
    ['an Error that is not an object', { json: 'x', meta: { values: ['Error'], v: 1 } }],
    [
      'an Error whose message is not a string',
      { json: { message: { toString: 1 } }, meta: { values: ['Error'], v: 1 } },
    ],
    ['an invalid BigInt', { json: '1.5', meta: { values: ['bigint'], v: 1 } }],
    ['a BigInt that is not a string', { json: 1, meta: { values: ['bigint'], v: 1 } }],
    ['an invalid RegExp', { json: '/(/', meta: { values: ['regexp'], v: 1 } }],
    ['an invalid URL', { json: 'not a url', meta: { values: ['URL'], v: 1 } }],
    ['a Date that is not a string', { json: { valueOf: 1, toString: 1 }, meta: { values: ['Date'], v: 1 } }],
    ['a number that is not a string', { json: [], meta: { values: ['number'], v: 1 } }],
    ['trees nested past 64', { json: nest(70, null), meta: { values: nestTrees(70), v: 1 } }],
  ]
  for (const [label, payload] of declined) {
    it(`declines ${label}, leaving the payload as it was`, () => {
      const before = JSON.stringify(payload)
      expect(decodeSuperjsonFormat(payload as never)).toEqual({ ok: false })
      expect(JSON.stringify(payload)).toBe(before)
    })
  }

  it('declines a payload whose last annotation is bad without writing its first ones', () => {
    const payload = JSON.parse(
      '{"json":{"a":"1","m":[["k","2"]],"z":"x"},"meta":{"values":{"a":["bigint"],"m":["map",{"0.1":["bigint"]}],"z":["bigint"]},"v":1}}',
    )
    expect(decodeSuperjsonFormat(payload)).toEqual({ ok: false })
    expect(payload.json).toEqual({ a: '1', m: [['k', '2']], z: 'x' })
  })

  const attacks = [
    '{"__proto__.polluted":["undefined"]}',
    '{"constructor.prototype.polluted":["undefined"]}',
    '{"a.__proto__.polluted":["undefined"]}',
    '{"a.constructor.prototype.polluted":["undefined"]}',
    '{"__proto__":["set"]}',
    '{"prototype":["undefined"]}',
    '["map",{"0.1.__proto__":["undefined"]}]',
  ]
  for (const values of attacks) {
    it(`refuses the path attack ${values}, as superjson does, and pollutes nothing`, () => {
      const text = `{"json":{"a":{"__proto__":{"x":1},"constructor":{"prototype":{}}},"__proto__":{},"constructor":{"prototype":{}},"prototype":"1"},"meta":{"values":${values},"v":1}}`
      expect(decodeSuperjsonFormat(JSON.parse(text))).toEqual({ ok: false })
      expect(() => superjson.parse(text)).toThrow()
    })
  }
})

describe('superjson format (properties)', () => {
  const key = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', '.', '\\', '0', '1'), maxLength: 4 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom('10', '4294967295', 'toString', 'valueOf', ...FORBIDDEN_KEYS),
  )
  const supportedKey = key.filter((k) => !FORBIDDEN_KEYS.includes(k))
  const leaf = fc.oneof(
    fc.constantFrom(
      null,
      undefined,
      true,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0,
    ),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.double(),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc
      .constantFrom('a\\/b', '[/]', '', 'x|y')
      .chain((body) => fc.constantFrom('', 'g', 'dgimsuy').map((flags) => new RegExp(body, flags))),
    fc.webUrl().map((url) => new URL(url)),
  )
  const build = (keys: fc.Arbitrary<string>) =>
    fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        tie('array'),
        tie('object'),
        tie('map'),
        tie('set'),
        tie('error'),
      ),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
      map: fc
        .array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 })
        .map((entries) => new Map(entries)),
      set: fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
      error: fc
        .tuple(fc.string({ maxLength: 4 }), fc.option(tie('value'), { nil: undefined }), fc.boolean())
        .map(([message, cause, withCause]) =>
          withCause ? new Error(message, { cause }) : new TypeError(message),
        ),
    })).value
  const supported = build(supportedKey)
  const anything = fc.oneof(
    build(key),
    fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    }),
  )

  it('writes superjson.stringify byte for byte, or declines; never declines a supported value without repeats', () => {
    let written = 0
    let withMeta = 0
    fc.assert(
      fc.property(supported, (value) => {
        const text = encodeSuperjsonFormat(value)
        if (!hasRepeat(value)) expect(text).toBeTypeOf('string')
        if (text === undefined) return
        expect(text).toBe(superjson.stringify(value))
        written++
        if (text.includes('"meta"')) withMeta++
      }),
      { numRuns: 1500 },
    )
    expect(written).toBeGreaterThan(1000)
    expect(withMeta).toBeGreaterThan(500)
  })

  it('on anything at all, writes superjson.stringify byte for byte or declines', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const text = encodeSuperjsonFormat(value)
        if (text === undefined) return
        expect(text).toBe(superjson.stringify(value))
      }),
      { numRuns: 1500 },
    )
  })

  it('restores what superjson restores, and declines only what it cannot write itself', () => {
    let restored = 0
    fc.assert(
      fc.property(anything, (value) => {
        let text: string
        try {
          text = superjson.stringify(value)
        } catch {
          return // superjson refuses the value: no payload to read
        }
        const decoded = decodeSuperjsonFormat(JSON.parse(text))
        if (encodeSuperjsonFormat(value) !== undefined) expect(decoded.ok).toBe(true)
        if (!decoded.ok) return
        restored++
        expect(decoded.value).toStrictEqual(superjson.parse(text))
        // Boxed values and class instances come back as plain data, so only a supported value is
        // sure to be written back to the same text.
        if (encodeSuperjsonFormat(value) !== undefined) expect(superjson.stringify(decoded.value)).toBe(text)
      }),
      { numRuns: 1500 },
    )
    expect(restored).toBeGreaterThan(1000)
    expectPrototypesUntouched()
  })

  it('never throws nor writes a prototype on hostile meta, and agrees with superjson when it reads one', () => {
    const segment = fc.constantFrom(
      'a',
      '0',
      '1',
      'b',
      '__proto__',
      'constructor',
      'prototype',
      'x\\.y',
      '\\\\',
      '\\q',
      '',
    )
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'))
    const type = fc.constantFrom(
      'undefined',
      'bigint',
      'Date',
      'number',
      'regexp',
      'URL',
      'map',
      'set',
      'Error',
      'class',
    )
    const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        type.map((t) => [t]),
        fc.tuple(type, tie('record')),
        tie('record'),
        fc.constantFrom(null, 'Date', 1, [['class', 'X']]),
      ),
      record: fc.dictionary(path, tie('tree'), { maxKeys: 3 }),
    })).tree
    const json = fc.jsonValue({ maxDepth: 4 })
    let read = 0
    fc.assert(
      fc.property(json, tree, fc.constantFrom(1, 1, 1, 0, undefined), (body, values, v) => {
        const text = JSON.stringify({ json: body, meta: { values, v } })
        const decoded = decodeSuperjsonFormat(JSON.parse(text))
        expectPrototypesUntouched()
        if (!decoded.ok) return
        read++
        expect(decoded.value).toStrictEqual(superjson.parse(text))
      }),
      { numRuns: 3000 },
    )
    // Most such payloads are declined; enough are read for the comparison to mean something.
    expect(read).toBeGreaterThan(30)
  })
})

function nest(levels: number, inner: unknown): unknown {
  let value = inner
  for (let i = 0; i < levels; i++) value = [value]
  return value
}

function nestMaps(levels: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < levels; i++) value = new Map([[0, value]])
  return value
}

function nestTrees(levels: number): unknown {
  let tree: unknown = ['undefined']
  for (let i = 0; i < levels; i++) tree = ['set', { 0: tree }]
  return tree
}
