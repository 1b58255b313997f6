import type { Awaitable, CodecContext } from './codec'
import { decodeSuperjsonFormat } from './superjson-format-decode'
import { withSuperjson } from './superjson-load'
import { assertUntrustedMeta } from './superjson-untrusted'

/*
 * The default codec's reading half, imported by `superjsonCodec` on its first `decode`: what a
 * browser loads to read a session. A payload without a `meta` part is plain JSON; Date, Map, Set,
 * BigInt, undefined and the other standard types go through the compact reader of superjson's
 * format; superjson itself only for what that declines. The safe JSON parser comes from the codec
 * (./safe-json, which jsonCodec shares): a page that holds both codecs then loads it once, in its
 * first chunk, instead of in a chunk of its own that the bundler would split off for the two.
 */

/**
 * The value of a superjson text, parsed with `parseJson` (safe-json's); throws on anything superjson
 * would not have written. For an untrusted text, the `meta` part must also keep to the limits of
 * ./superjson-untrusted (no shared references, a bounded annotation tree), checked before either
 * reader runs.
 *
 * @example decodeSuperjson('{"json":"1","meta":{"values":["bigint"],"v":1}}', parseJson) // 1n
 */
export function decodeSuperjson(
  text: string,
  parseJson: (text: string) => unknown,
  context?: CodecContext,
): Awaitable<unknown> {
  const parsed: unknown = parseJson(text)
  if (typeof parsed !== 'object' || parsed === null || !('json' in parsed)) {
    throw new TypeError('not a superjson payload')
  }
  if (!('meta' in parsed) || parsed.meta === undefined) return parsed.json
  if (context?.untrusted) assertUntrustedMeta(parsed.meta)
  const decoded = decodeSuperjsonFormat(parsed as { json: unknown; meta: unknown })
  return decoded.ok ? decoded.value : withSuperjson((superjson) => superjson.deserialize(parsed as never))
}
