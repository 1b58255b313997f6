import type { Awaitable } from '../awaitable'

/**
 * What the caller of a codec knows about the text it decodes (or the value it encodes).
 *
 * @example superjsonCodec.decode(payload, { untrusted: true })
 */
export interface CodecContext {
  /**
   * True when no key checks the text: the payload of a browser-owned (`protection: 'none'`,
   * client-stored) session, which anyone can write. A codec then refuses what only an attacker
   * would send (the default codec: shared or cyclic references, and annotation trees past its
   * limits), and `encode` refuses the values that `decode` would refuse, so nothing is written only
   * to read as absent. The engine and the browser client set it; a signed, sealed or Ed25519 payload,
   * written by the server, and a server-stored session's text are trusted.
   * @default false
   */
  readonly untrusted?: boolean | undefined
}

/**
 * Turns a session value into text and back. The text is what the protection (signing, sealing)
 * covers; it never needs to be cookie-safe, the wire format takes care of that.
 *
 * `decode` throws on malformed input; the engine turns the throw into an absent session with the
 * reason `DECODE_FAILED`, so a caller of `get` never sees it. Both take an optional
 * {@link CodecContext}: a codec of your own may ignore it when its text cannot decode into shared or
 * cyclic structures (JSON cannot).
 *
 * @example
 * const upper: SessionCodec<string> = { name: 'upper', encode: (v) => v.toUpperCase(), decode: (t) => t }
 */
export interface SessionCodec<T = unknown> {
  /** A short identifier, used in error messages and the benchmark. */
  readonly name: string
  encode(value: T, context?: CodecContext): Awaitable<string>
  decode(text: string, context?: CodecContext): Awaitable<T>
}

/**
 * JSON.parse that refuses `__proto__` keys and `constructor.prototype`, the shapes that poison an
 * object's prototype once user code merges the value (a `none` session's payload is written by the
 * browser). The reviver, slow, runs only when the text could hold such a key, even escaped.
 *
 * @example parseJson('{"__proto__":{"admin":true}}') // throws
 */
export function parseJson(text: string): unknown {
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
    throw new TypeError('JSON text with a prototype key')
  }
  return value
}

/**
 * Plain JSON. Smallest and fastest; Date becomes a string, Map/Set become `{}`, undefined properties
 * vanish and BigInt cannot be encoded. Prefer the default codec unless the value is JSON by design.
 * JSON text always decodes into a tree (no shared or cyclic parts), so the codec context changes
 * nothing here.
 *
 * @example defineSession<{ theme: 'dark' | 'light' }>()('prefs', { codec: jsonCodec })
 */
export const jsonCodec: SessionCodec<any> = {
  name: 'json',
  encode(value) {
    const text = JSON.stringify(value)
    if (text === undefined) throw new TypeError('the value has no JSON form')
    // What decode refuses is refused here too, so a value is never written only to read as absent.
    if (text.includes('proto') || text.includes('\\u')) parseJson(text)
    return text
  },
  decode: parseJson,
}
