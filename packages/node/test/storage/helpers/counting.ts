import type { SessionStorage, StorageWriteOptions } from '@tessera/core'
import type { Redis } from 'ioredis'
import pg from 'pg'

/** Calls a storage received, by method, and the options of each write. */
export interface StorageCalls {
  reads: number
  writes: number
  invalidates: number
  readonly writeOptions: StorageWriteOptions[]
}

/** Wraps a storage to count the calls the engine makes; `reset()` zeroes the counters. */
export function countingStorage(inner: SessionStorage): {
  storage: SessionStorage
  calls: StorageCalls
  reset(): void
} {
  const calls: StorageCalls = { reads: 0, writes: 0, invalidates: 0, writeOptions: [] }
  const storage: SessionStorage = {
    read(id) {
      calls.reads++
      return inner.read(id)
    },
    write(id, data, options) {
      calls.writes++
      calls.writeOptions.push(options)
      return inner.write(id, data, options)
    },
    invalidate(id) {
      calls.invalidates++
      return inner.invalidate(id)
    },
    ...(inner.invalidateOwner ? { invalidateOwner: (owner: string) => inner.invalidateOwner!(owner) } : {}),
  }
  const reset = () => {
    calls.reads = 0
    calls.writes = 0
    calls.invalidates = 0
    calls.writeOptions.length = 0
  }
  return { storage, calls, reset }
}

/** Counts, at the protocol level, the commands an ioredis client sends (each is one round trip here). */
export function countRedisCommands(client: Redis): { readonly names: string[]; reset(): void } {
  const names: string[] = []
  const send = client.sendCommand.bind(client)
  client.sendCommand = ((command: { name: string }, stream?: unknown) => {
    names.push(command.name)
    return send(command as never, stream as never)
  }) as Redis['sendCommand']
  const reset = () => {
    names.length = 0
  }
  return { names, reset }
}

/**
 * A pg Pool whose connections count every statement they send (one round trip each); pass the
 * returned class as the pool's `Client`.
 */
export function countingPgClient(): { Client: typeof pg.Client; readonly counter: { queries: number } } {
  const counter = { queries: 0 }
  class CountingClient extends pg.Client {
    override query(...args: unknown[]): any {
      counter.queries++
      return (super.query as (...a: unknown[]) => unknown)(...args)
    }
  }
  return { Client: CountingClient, counter }
}
