import type { Awaitable } from './codec/codec'

/** True for any thenable, not only this realm's Promise (a schema or codec may return either). */
export const isPromiseLike = <T>(value: Awaitable<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null)?.then === 'function'

/** `then(value)`, at once when `value` is already there (no promise, no microtask), else when it settles. */
export function when<T, R>(value: Awaitable<T>, then: (ready: T) => Awaitable<R>): Awaitable<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(then) : then(value)
}
