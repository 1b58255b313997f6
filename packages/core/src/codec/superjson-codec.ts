import type { Awaitable, SessionCodec } from './codec'

/** One half of the codec, imported on first use (and again after a failed import). */
function half<TArgument, TResult>(
  load: () => Promise<(argument: TArgument) => Awaitable<TResult>>,
): (argument: TArgument) => Awaitable<TResult> {
  let loaded: ((argument: TArgument) => Awaitable<TResult>) | undefined
  let loading: Promise<(argument: TArgument) => Awaitable<TResult>> | undefined
  return (argument) => {
    if (loaded) return loaded(argument)
    loading ??= load().then(
      (run) => (loaded = run),
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading.then((run) => run(argument))
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
  decode: /* @__PURE__ */ half(() => import('./superjson-decode').then((module) => module.decodeSuperjson)),
}
