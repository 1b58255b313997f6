import type { Awaitable } from './codec'
import { isJsonPlain } from './json-plain'
import { encodeSuperjsonFormat } from './superjson-format'
import { withSuperjson } from './superjson-load'

/*
 * The default codec's writing half, imported by `superjsonCodec` on its first `encode` (never
 * statically, so a bundle that only reads does not carry it). A JSON-plain value costs one
 * JSON.stringify; Date, Map, Set, BigInt, undefined and the other standard types go through the
 * compact writer of superjson's format; superjson itself only for what that declines (class
 * instances, repeated references...).
 */

/**
 * The superjson text of a value: `{"json":…}`, with a `meta` part only for richer types.
 *
 * @example encodeSuperjson({ a: 1 }) // '{"json":{"a":1}}'
 */
export function encodeSuperjson(value: unknown): Awaitable<string> {
  if (isJsonPlain(value)) return `{"json":${JSON.stringify(value)}}`
  return encodeSuperjsonFormat(value) ?? withSuperjson((superjson) => superjson.stringify(value))
}
