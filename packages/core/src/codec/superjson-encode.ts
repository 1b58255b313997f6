import { when } from '../awaitable'
import type { Awaitable, CodecContext } from './codec'
import { isJsonPlain } from './json-plain'
import { encodeSuperjsonFormat } from './superjson-format'
import { withSuperjson } from './superjson-load'
import { assertUntrustedMeta } from './superjson-untrusted'

/*
 * The default codec's writing half, imported by `superjsonCodec` on its first `encode` (never
 * statically, so a bundle that only reads does not carry it). A JSON-plain value costs one
 * JSON.stringify; Date, Map, Set, BigInt, undefined and the other standard types go through the
 * compact writer of superjson's format; superjson itself only for what that declines (class
 * instances, repeated references...). The safe JSON parser comes from the codec, as for the
 * reading half (see ./superjson-decode).
 */

/**
 * The superjson text of a value: `{"json":…}`, with a `meta` part only for richer types. For an
 * untrusted session (a browser-owned one), a text that decoding would refuse is refused here: it is
 * parsed with `parseJson` (safe-json's) and its meta part checked, as `decodeSuperjson` does. A
 * value holding one object twice, or a cycle, throws.
 *
 * @example encodeSuperjson({ a: 1 }, parseJson) // '{"json":{"a":1}}'
 */
export function encodeSuperjson(
  value: unknown,
  parseJson: (text: string) => unknown,
  context?: CodecContext,
): Awaitable<string> {
  if (isJsonPlain(value)) return `{"json":${JSON.stringify(value)}}`
  const text = encodeSuperjsonFormat(value) ?? withSuperjson((superjson) => superjson.stringify(value))
  if (!context?.untrusted) return text
  // The text as it will be read: parsed as decode parses it, its meta part checked as decode checks it.
  return when(text, (written) => {
    assertUntrustedMeta((parseJson(written) as { meta?: unknown }).meta)
    return written
  })
}
