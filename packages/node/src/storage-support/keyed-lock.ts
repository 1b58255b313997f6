/**
 * Serialises async work per key within one process: work for a key starts after the previous work
 * for that key settled; different keys run concurrently. Keys are forgotten when their queue drains.
 */
export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>
  /** Keys with work queued or running (for tests). */
  readonly size: number
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>()
  return {
    get size() {
      return tails.size
    },
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key)
      const result = previous ? previous.then(work) : work()
      const tail = result.then(
        () => {},
        () => {},
      )
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return result
    },
  }
}
