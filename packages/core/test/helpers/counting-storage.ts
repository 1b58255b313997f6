import type { SessionStorage } from '../../src'
import { memoryStorage } from '../../src'

/** A memory storage that counts calls and can be told to fail, to check round trips and failures. */
export function countingStorage(options: Parameters<typeof memoryStorage>[0] = {}) {
  const inner = memoryStorage(options)
  const calls = { read: 0, write: 0, invalidate: 0, invalidateOwner: 0 }
  let failure: ((method: string, id: string) => Error) | undefined
  const guard = (method: keyof typeof calls, id: string) => {
    calls[method]++
    if (failure) throw failure(method, id)
  }
  const storage: SessionStorage & { readonly size: number } = {
    get size() {
      return inner.size
    },
    async read(id) {
      guard('read', id)
      return inner.read(id)
    },
    async write(id, data, writeOptions) {
      guard('write', id)
      return inner.write(id, data, writeOptions)
    },
    async invalidate(id) {
      guard('invalidate', id)
      return inner.invalidate(id)
    },
    async invalidateOwner(owner) {
      guard('invalidateOwner', owner)
      return inner.invalidateOwner!(owner)
    },
  }
  return {
    storage,
    calls,
    reset() {
      for (const key of Object.keys(calls) as (keyof typeof calls)[]) calls[key] = 0
    },
    /** Every later call throws what `make` returns (with the id, as a careless driver would). */
    fail(make: ((method: string, id: string) => Error) | undefined) {
      failure = make
    },
  }
}
