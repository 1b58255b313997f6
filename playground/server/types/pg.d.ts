// The little of `pg` the playground uses (the package ships no types; @types/pg would be a
// dependency for three lines). The pool satisfies @tessera/node's PostgresPool.
declare module 'pg' {
  import type { PostgresPool } from '@tessera/node/postgres'

  interface PoolConfig {
    readonly connectionString?: string
    readonly max?: number
    readonly connectionTimeoutMillis?: number
  }

  class Pool implements PostgresPool {
    constructor(config?: PoolConfig)
    connect: PostgresPool['connect']
    on(event: 'error', listener: (error: Error) => void): this
    listenerCount(event: 'error'): number
    end(): Promise<void>
  }

  const pg: { readonly Pool: typeof Pool }
  export default pg
}
