import type { Awaitable, SessionCodec } from './codec'
import { parseJson } from './safe-json'

/**
 * One half of the codec, imported on its first call; synchronous once loaded. Until then every call
 * loads it: `import()` shares one module between concurrent calls, and a failed load is tried again.
 */
function half<TArgument, TResult>(
  load: () => Promise<(argument: TArgument) => Awaitable<TResult>>,
): (argument: TArgument) => Awaitable<TResult> {
  let run: ((argument: TArgument) => Awaitable<TResult>) | undefined
  return (argument) => {
    if (run) return run(argument)
    return load().then((loaded) => {
      run = loaded
      return loaded(argument)
    })
  }
}

/**
 * The default codec: superjson's text format. Its text is exactly what `superjson.stringify` produces
 * and accepts: `{"json":…}`, with a `meta` part only when the value holds a Date, Map, Set, BigInt,
 * undefined, RegExp, NaN or the like. A JSON-plain value costs one `JSON.stringify`; richer values
 * take a compact writer and reader of the same format, and superjson itself is loaded only for what
 * those decline. Decoding refuses `__proto__` and `constructor.prototype` keys.
 *
 * This object is tiny: each half of the codec (writing, reading) is imported on its first call, which
 * therefore returns a promise; later calls are synchronous for values that need no superjson. A
 * browser that only reads never downloads the writing half.
 *
 * @example defineSession('cart', { schema: cartSchema }) // uses this codec
 */
export const superjsonCodec: SessionCodec<any> = {
  name: 'superjson',
  encode: /* @__PURE__ */ half(() => import('./superjson-encode').then((module) => module.encodeSuperjson)),
  // The reader gets the safe JSON parser from here, which jsonCodec shares (see ./superjson-decode).
  decode: /* @__PURE__ */ half(() =>
    import('./superjson-decode').then((module) => (text: string) => module.decodeSuperjson(text, parseJson)),
  ),
}
