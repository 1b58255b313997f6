import type { Awaitable } from './codec'
import { isJsonPlain } from './json-plain'
import { decodeSuperjsonFormat, encodeSuperjsonFormat } from './superjson-format'

/*
 * The default codec's implementation, loaded by `superjsonCodec` on first use (never imported
 * statically, so a bundle that only defines sessions does not carry it). A JSON-plain value costs one
 * JSON.stringify; Date, Map, Set, BigInt, undefined and the other standard types go through a compact
 * writer and reader of superjson's format; superjson itself is loaded only for what those decline
 * (class instances, repeated references, hand-made documents...).
 */

type Superjson = typeof import('superjson').default

let superjson: Superjson | undefined
let loading: Promise<Superjson> | undefined

function loadSuperjson(): Promise<Superjson> {
  loading ??= import('superjson').then(
    (module) => (superjson = module.default),
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}

/** The superjson text of a value: `{"json":…}`, with a `meta` part only for richer types. */
export function encodeSuperjson(value: unknown): Awaitable<string> {
  if (isJsonPlain(value)) return `{"json":${JSON.stringify(value)}}`
  const text = encodeSuperjsonFormat(value)
  if (text !== undefined) return text
  if (superjson) return superjson.stringify(value)
  return loadSuperjson().then((loaded) => loaded.stringify(value))
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

/** The value of a superjson text; throws on anything superjson would not have written. */
export function decodeSuperjson(text: string): Awaitable<unknown> {
  const parsed: unknown = parseJson(text)
  if (typeof parsed !== 'object' || parsed === null || !('json' in parsed)) {
    throw new TypeError('not a superjson document')
  }
  if (!('meta' in parsed) || parsed.meta === undefined) return parsed.json
  const decoded = decodeSuperjsonFormat(parsed as { json: unknown; meta: unknown })
  if (decoded.ok) return decoded.value
  if (superjson) return superjson.deserialize(parsed as never)
  return loadSuperjson().then((loaded) => loaded.deserialize(parsed as never))
}
