/**
 * Hostile inputs for the decoders a request reaches: random text and bytes, the characters that end
 * a cookie or split a header, lone surrogates, invalid UTF-8 behind valid base64url, huge values,
 * deep nesting and prototype keys.
 */
import fc from 'fast-check'
import { encodeBase64url } from '../../../src/internal'

/** Inputs past this size are generated from a short seed repeated, up to 1 MB. */
export const HUGE_MAX = 1 << 20

/** Pieces that mean something to a cookie, a header, a token or a JSON text. */
export const SPECIAL_PIECES = [
  ';',
  ',',
  '=',
  '"',
  ' ',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u0000',
  '\u007f',
  '%',
  '%0d%0a',
  '\\',
  '.',
  '~',
  '2~',
  '99~',
  '0~',
  'v1.',
  'v1.n.',
  'v1.s.',
  'v1.e.',
  'v1.x.',
  '__proto__',
  'constructor',
  'prototype',
  '\ud800',
  '\udfff',
  '\ufffd',
  '\ufeff',
  '🍪',
  'Set-Cookie: a=b',
  '; Domain=evil.test',
] as const

const control = fc.integer({ min: 0, max: 31 }).map((code) => String.fromCharCode(code))

/** A string built from random text, any Unicode, control characters and the special pieces. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
      { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_PIECES) },
      { weight: 1, arbitrary: control },
      { weight: 2, arbitrary: fc.base64String({ maxLength: 24 }) },
    ),
    { maxLength: 24 },
  )
  .map((pieces) => pieces.join(''))

/** A huge string: a short hostile seed repeated to a random length up to `max` characters. */
export function hugeStringOf(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(hostileString, fc.constantFrom('a', 'v1.s.', '[', '{"a":', 'cart=', '; ')),
      fc.nat({ max }),
    )
    .map(([seed, length]) => {
      const unit = seed === '' ? 'x' : seed
      return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
    })
}

/** A huge string of up to 1 MB. */
export const hugeString: fc.Arbitrary<string> = hugeStringOf(HUGE_MAX)

/** Random bytes as unpadded base64url (mostly invalid UTF-8 once decoded). */
export const base64urlOfBytes: fc.Arbitrary<string> = fc.uint8Array({ maxLength: 300 }).map(encodeBase64url)

/** Text that looks like base64url and is not: padding, `+` `/`, bad lengths, non-ASCII. */
export const badBase64url: fc.Arbitrary<string> = fc.oneof(
  fc.base64String({ minLength: 1, maxLength: 64 }),
  base64urlOfBytes.map((text) => `${text}A`),
  base64urlOfBytes.map((text) => `${text}=`),
  fc
    .tuple(base64urlOfBytes, fc.constantFrom('+', '/', '=', ' ', '\u00e9', '\ud800', '.'))
    .map(([t, c]) => t + c + t),
)

/** Keys of JSON objects: ordinary names, empty, and the prototype keys (plain and escaped). */
export const jsonKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'json',
    'meta',
    'polluted',
    'isAdmin',
    '',
    'a',
    'b',
  ),
  fc.string({ maxLength: 6 }),
)

/** A JSON-ish value as text, with hostile keys, written without JSON.stringify so `__proto__` keys stay. */
export const hostileJson: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      'null',
      'true',
      '1',
      '-0',
      '1e999',
      '"x"',
      '"\\u005f\\u005fproto\\u005f\\u005f"',
      '{}',
      '[]',
    ),
    fc.string({ maxLength: 8 }).map((text) => JSON.stringify(text)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(jsonKey, tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  ),
})).value

/** Annotations superjson knows, and some it does not. */
const superjsonType = fc.oneof(
  fc.constantFrom(
    'undefined',
    'bigint',
    'Date',
    'regexp',
    'set',
    'map',
    'number',
    'Error',
    'URL',
    'symbol',
    'nope',
  ),
  fc
    .constantFrom(['class', 'X'], ['symbol', 'Y'], ['custom', 'Z'], ['typed-array', 'Uint8Array'])
    .map((t) => JSON.stringify(t)),
)

/** A superjson path made of hostile keys: `a.__proto__.b`, `constructor.prototype.x`… */
const superjsonPath = fc
  .array(fc.oneof(jsonKey, fc.constantFrom('0', '1', '__proto__')), { minLength: 1, maxLength: 4 })
  .map((keys) => keys.join('.'))

/** A superjson payload: hostile `json`, and a `meta` with random annotations, paths and referential equalities. */
export const hostileSuperjson: fc.Arbitrary<string> = fc
  .record({
    json: hostileJson,
    values: fc.option(
      fc.oneof(
        superjsonType.map((type) => (type.startsWith('[') ? type : JSON.stringify(type))),
        fc
          .array(fc.tuple(superjsonPath, superjsonType), { maxLength: 4 })
          .map(
            (entries) =>
              `{${entries.map(([path, type]) => `${JSON.stringify(path)}:${type.startsWith('[') ? type : `[${JSON.stringify(type)}]`}`).join(',')}}`,
          ),
      ),
    ),
    equalities: fc.option(
      fc
        .array(fc.tuple(superjsonPath, fc.array(superjsonPath, { maxLength: 3 })), { maxLength: 3 })
        .map(
          (entries) =>
            `{${entries.map(([path, others]) => `${JSON.stringify(path)}:${JSON.stringify(others)}`).join(',')}}`,
        ),
    ),
    v: fc.constantFrom('1', '2', '"1"'),
  })
  .map(({ json, values, equalities, v }) => {
    if (values === null && equalities === null) return `{"json":${json}}`
    const meta = [
      values === null ? '' : `"values":${values}`,
      equalities === null ? '' : `"referentialEqualities":${equalities}`,
      `"v":${v}`,
    ]
      .filter(Boolean)
      .join(',')
    return `{"json":${json},"meta":{${meta}}}`
  })

/** Deeply nested documents, up to 100,000 levels: arrays, objects, and superjson wrappers of them. */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 64, max: 100_000 }), fc.constantFrom('array', 'object', 'superjson', 'meta'))
  .map(([depth, shape]) => {
    if (shape === 'array') return '['.repeat(depth) + ']'.repeat(depth)
    if (shape === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    if (shape === 'superjson') return `{"json":${'['.repeat(depth)}${']'.repeat(depth)}}`
    return `{"json":1,"meta":{"values":${'{"a":'.repeat(depth)}["undefined"]${'}'.repeat(depth)},"v":1}}`
  })

/** Documents that poison a prototype in a careless decoder. */
export const PROTOTYPE_DOCUMENTS = [
  '{"json":{"__proto__":{"polluted":true}}}',
  '{"json":{"constructor":{"prototype":{"polluted":true}}}}',
  '{"json":{"\\u005f_proto__":{"polluted":true}}}',
  '{"json":{"a":{"__proto__":{"isAdmin":true}}}}',
  '{"json":[{"__proto__":{"polluted":true}}]}',
  '{"json":{"a":1},"meta":{"values":{"__proto__.polluted":["undefined"]},"v":1}}',
  '{"json":{"a":1},"meta":{"values":{"constructor.prototype.polluted":["undefined"]},"v":1}}',
  '{"json":{"a":{}},"meta":{"referentialEqualities":{"a":["__proto__.polluted"]},"v":1}}',
  '{"json":{"a":{},"b":1},"meta":{"referentialEqualities":{"a":["constructor.prototype"]},"v":1}}',
  '{"json":[["__proto__",{"polluted":true}]],"meta":{"values":["map"],"v":1}}',
  '{"json":{"message":"m","__proto__":{"polluted":true}},"meta":{"values":["Error"],"v":1}}',
  '{"__proto__":{"polluted":true},"json":1}',
  '{"json":{"__proto__":{"polluted":true}},"meta":{"values":{"a":["undefined"]},"v":1}}',
] as const
