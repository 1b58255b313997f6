import type { Awaitable, CodecContext, SessionCodec } from './codec'
import { parseJson } from './safe-json'

/**
 * One half of the codec, imported on its first call; synchronous once loaded. Until then every call
 * loads it: `import()` shares one module between concurrent calls, and a failed load is tried again.
 */
function half<TArgument, TResult>(
  load: () => Promise<(argument: TArgument, context?: CodecContext) => Awaitable<TResult>>,
): (argument: TArgument, context?: CodecContext) => Awaitable<TResult> {
  let run: ((argument: TArgument, context?: CodecContext) => Awaitable<TResult>) | undefined
  return (argument, context) => {
    if (run) return run(argument, context)
    return load().then((loaded) => {
      run = loaded
      return loaded(argument, context)
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
 * With `{ untrusted: true }` (the engine and the browser client pass it for browser-owned sessions),
 * `decode` also refuses a payload whose `meta` shares references (`referentialEqualities`: the
 * value would be a graph, or a cycle, instead of a tree) or whose annotation tree nests past 64
 * levels or 64 segments a path, whichever reader would decode it; `encode` refuses the values that
 * would give such a payload (one object, BigInt or NaN held twice, a cycle). Signed, sealed and
 * Ed25519 payloads keep superjson's shared references.
 *
 * This object is tiny: each half of the codec (writing, reading) is imported on its first call, which
 * therefore returns a promise; later calls are synchronous for values that need no superjson. A
 * browser that only reads never downloads the writing half.
 *
 * @example defineSession('cart', { schema: cartSchema }) // uses this codec
 */
export const superjsonCodec: SessionCodec<any> = {
  name: 'superjson',
  // Each half gets the safe JSON parser from here, which jsonCodec shares (see ./superjson-decode).
  encode: /* @__PURE__ */ half(() =>
    import('./superjson-encode').then(
      (module) => (value: unknown, context?: CodecContext) =>
        module.encodeSuperjson(value, parseJson, context),
    ),
  ),
  decode: /* @__PURE__ */ half(() =>
    import('./superjson-decode').then(
      (module) => (text: string, context?: CodecContext) => module.decodeSuperjson(text, parseJson, context),
    ),
  ),
}
