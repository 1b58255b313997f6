import type { SessionCodec } from './codec'

type Superjson = typeof import('superjson').default

let superjson: Superjson | undefined
let loading: Promise<Superjson> | undefined

/** superjson, imported on first need: a value without Date, Map, Set, BigInt or undefined never loads it. */
function loadSuperjson(): Promise<Superjson> {
  loading ??= import('superjson').then((module) => {
    superjson = module.default
    return superjson
  })
  return loading
}

/** Deep enough for any real session; deeper values take superjson's path, which copes with cycles. */
const MAX_PLAIN_DEPTH = 64

/**
 * True when `JSON.stringify(value)` round-trips it exactly and superjson would write nothing more:
 * null, booleans, strings, finite numbers other than -0, dense arrays and plain objects of those,
 * without the keys `__proto__`, `constructor` and `prototype`. Anything else takes superjson's path.
 */
export function isJsonPlain(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object': {
      if (value === null) return true
      if (depth >= MAX_PLAIN_DEPTH) return false
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isJsonPlain(value[i], depth + 1)) return false
        return true
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) return false
      for (const key in value) {
        // superjson refuses these keys (prototype pollution): the fast path must not accept what
        // superjson.stringify would refuse, so such a value fails to encode on either path.
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return false
        if (!isJsonPlain((value as Record<string, unknown>)[key], depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/**
 * JSON.parse that refuses `__proto__` keys and `constructor.prototype`, the shapes that poison an
 * object's prototype once user code merges the value (a `none` session's payload is written by the
 * browser). The reviver, slow, runs only when the text could hold such a key, even escaped.
 */
function parseJson(text: string): unknown {
  if (!text.includes('proto') && !text.includes('\\u')) return JSON.parse(text)
  return JSON.parse(text, refusePrototypeKeys)
}

function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (
    key === '__proto__' ||
    (key === 'constructor' &&
      typeof value === 'object' &&
      value !== null &&
      Object.hasOwn(value, 'prototype'))
  ) {
    throw new TypeError('a superjson document with a prototype key')
  }
  return value
}

/**
 * The default codec. Its text is exactly what `superjson.stringify` accepts and (for values with
 * richer types) produces: `{"json":…}` with a `meta` part only when the value holds a Date, Map, Set,
 * BigInt, undefined, RegExp, NaN or the like. A JSON-plain value costs one `JSON.stringify`, and
 * superjson itself is loaded only the first time a value needs it. Decoding refuses `__proto__` and
 * `constructor.prototype` keys, which superjson itself lets through when there is no meta part.
 *
 * @example defineSession('cart', { schema: cartSchema }) // uses this codec
 */
export const superjsonCodec: SessionCodec<any> = {
  name: 'superjson',
  encode(value) {
    if (isJsonPlain(value)) return `{"json":${JSON.stringify(value)}}`
    if (superjson) return superjson.stringify(value)
    return loadSuperjson().then((loaded) => loaded.stringify(value))
  },
  decode(text) {
    const parsed: unknown = parseJson(text)
    if (typeof parsed !== 'object' || parsed === null || !('json' in parsed)) {
      throw new TypeError('not a superjson document')
    }
    if (!('meta' in parsed) || parsed.meta === undefined) return parsed.json
    if (superjson) return superjson.deserialize(parsed as never)
    return loadSuperjson().then((loaded) => loaded.deserialize(parsed as never))
  },
}
