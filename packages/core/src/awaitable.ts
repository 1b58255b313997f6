/*
 * Values that may arrive now or later, and modules loaded on first need. A codec whose module is
 * loaded answers synchronously; a first load answers with a promise.
 */

/**
 * A value that may arrive now or later.
 *
 * @example const text: Awaitable<string> = codec.encode(value)
 */
export type Awaitable<T> = T | PromiseLike<T>

/**
 * True for any thenable, not only this realm's Promise (a schema or codec may return either).
 *
 * @example if (isPromiseLike(result)) await result
 */
export const isPromiseLike = <T>(value: Awaitable<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null)?.then === 'function'

/**
 * `then(value)`, at once when `value` is already there (no promise, no microtask), else when it
 * settles. The default codec uses it so that a JSON-plain value, which needs no module loaded, is
 * encoded and decoded without a promise.
 *
 * @example when(load(), (superjson) => superjson.stringify(value))
 */
export function when<T, R>(value: Awaitable<T>, then: (ready: T) => Awaitable<R>): Awaitable<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(then) : then(value)
}

/**
 * A module loaded on first need (`load` is an `import()`), then handed out at once. Concurrent calls
 * share one load; a load that failed (a flaky network fetching a chunk) is tried again by the next
 * call instead of failing forever.
 *
 * @example
 * const nacl = loadOnce(() => import('tweetnacl').then((module) => module.default))
 * const loaded = await nacl() // or nacl.now(), undefined until loaded
 */
export function loadOnce<T>(
  load: () => Promise<T>,
): (() => Awaitable<T>) & { readonly now: () => T | undefined } {
  let loaded: T | undefined
  let loading: Promise<T> | undefined
  const get = () => {
    if (loaded !== undefined) return loaded
    loading ??= load().then(
      (value) => (loaded = value),
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  return Object.assign(get, { now: () => loaded })
}
