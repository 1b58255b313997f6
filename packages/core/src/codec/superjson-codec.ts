import type { SessionCodec } from './codec'

type Implementation = typeof import('./superjson-text')

let implementation: Implementation | undefined
let loading: Promise<Implementation> | undefined

/** The codec's working part, imported on first use (and tried again after a failed load). */
function load(): Promise<Implementation> {
  loading ??= import('./superjson-text').then(
    (module) => (implementation = module),
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}

/**
 * The default codec: superjson's text format. Its text is exactly what `superjson.stringify` produces
 * and accepts: `{"json":…}`, with a `meta` part only when the value holds a Date, Map, Set, BigInt,
 * undefined, RegExp, NaN or the like. A JSON-plain value costs one `JSON.stringify`; richer values
 * take a compact encoder of the same format, and superjson itself is loaded only for what that
 * encoder leaves to it. Decoding refuses `__proto__` and `constructor.prototype` keys.
 *
 * This object is tiny: the codec's implementation is imported on its first call, which therefore
 * returns a promise; every later call is synchronous for values that need no superjson.
 *
 * @example defineSession('cart', { schema: cartSchema }) // uses this codec
 */
export const superjsonCodec: SessionCodec<any> = {
  name: 'superjson',
  encode: (value) =>
    implementation
      ? implementation.encodeSuperjson(value)
      : load().then((loaded) => loaded.encodeSuperjson(value)),
  decode: (text) =>
    implementation
      ? implementation.decodeSuperjson(text)
      : load().then((loaded) => loaded.decodeSuperjson(text)),
}
