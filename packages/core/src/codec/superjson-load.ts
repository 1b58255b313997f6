import type { Awaitable } from './codec'

type Superjson = typeof import('superjson').default

let superjson: Superjson | undefined
let loading: Promise<Superjson> | undefined

/**
 * Runs `use` with superjson itself: at once when it is loaded, else once it is imported (on first
 * need, and again after a failed import). Only for what the compact format declines.
 *
 * @example withSuperjson((superjson) => superjson.stringify(value))
 */
export function withSuperjson<T>(use: (loaded: Superjson) => T): Awaitable<T> {
  if (superjson) return use(superjson)
  loading ??= import('superjson').then(
    (module) => (superjson = module.default),
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading.then(use)
}
