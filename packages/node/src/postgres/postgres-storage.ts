import {
  type Duration,
  isSessionError,
  type OwnedSession,
  SessionError,
  type SessionStorage,
} from '@tessera/core'
import { assertKnownOptions } from '@tessera/core/internal'
import { assertSessionId } from '../storage-support/session-id'
import { storageFailure, withTimeout } from '../storage-support/storage-failure'
import { startSweeper } from '../storage-support/sweeper'
import { cancelStatement } from './cancel-statement'
import { parseTableName, postgresStatements } from './postgres-sql'

/** A connection checked out of the pool, as pg's `PoolClient` has it. */
export interface PostgresPoolClient {
  query(config: { text: string; values?: unknown[] }): Promise<{
    rows: any[]
    rowCount: number | null
  }>
  /** Gives the connection back; with `true` or an error, closes it instead. */
  release(destroy?: boolean | Error): void
  on(event: 'error', listener: (error: Error) => void): unknown
  removeListener(event: 'error', listener: (error: Error) => void): unknown
}

/** A connection pool, as pg's `Pool` is one. */
export interface PostgresPool {
  connect(): Promise<PostgresPoolClient>
  on?(event: 'error', listener: (error: Error) => void): unknown
  listenerCount?(event: 'error'): number
}

/**
 * Options of {@link postgresStorage}.
 *
 * @example postgresStorage(pool, { table: 'app.sessions', createTable: false, timeout: 500 })
 */
export interface PostgresStorageOptions {
  /**
   * The table, `name` or `schema.name` (the schema must exist).
   * @default 'tessera_sessions'
   */
  readonly table?: string | undefined
  /**
   * Create the table and its indexes on first use (`CREATE ... IF NOT EXISTS`). Turn it off when a
   * migration creates them (`postgresTableSql()` prints the SQL).
   * @default true
   */
  readonly createTable?: boolean | undefined
  /**
   * Milliseconds a statement may take, waiting for a pool connection included, before the request
   * gets `SessionError('STORAGE_UNAVAILABLE')` (503). The connection of a statement given up is closed.
   * @default 1000
   */
  readonly timeout?: number | undefined
  /**
   * How often expired rows are deleted in the background, on an unref'd timer; `false` turns it off
   * (call `sweep()` from a job of your own). Expired rows read as absent either way.
   * @default '10m'
   */
  readonly sweepInterval?: Duration | false | undefined
}

/** A {@link SessionStorage} on PostgreSQL, with its maintenance methods. */
export interface PostgresStorage extends SessionStorage {
  /** The table, as given. */
  readonly table: string
  /** Creates the table and indexes when missing; done once, on first use, unless `createTable: false`. */
  ensureTable(): Promise<void>
  /** Deletes expired rows in batches through the `expires_at` index; returns how many. */
  sweep(): Promise<number>
  invalidateOwner(owner: string): Promise<number>
  /** The live rows of an owner, found through the `owner` index (one statement). */
  listOwner(owner: string): Promise<readonly OwnedSession[]>
  /** Stops the background sweep timer. The pool stays open: it is yours. */
  close(): void
}

const STORAGE = 'postgres'
/** How long a given-up statement's cancel request may take before the connection is closed anyway. */
const CANCEL_WAIT_MS = 200
const SWEEP_BATCH = 1000
const SWEEP_MAX_BATCHES = 100
/** SQLSTATEs of two sessions creating the same table at once. */
const CREATE_RACE = new Set(['23505', '42P07', '42710'])

/** The option names postgresStorage accepts; a new option is added here (see core's option-names.ts). */
const POSTGRES_STORAGE_OPTIONS = ['table', 'createTable', 'timeout', 'sweepInterval']

/**
 * Server-side sessions in PostgreSQL, through a `pg` Pool you create and own. One statement to read,
 * one to write: an upsert with its expiry, compare-and-set on the `version` column. Expired rows
 * read as absent at once and are deleted through an index on `expires_at`; `owner` is indexed for
 * signing a user out everywhere. A statement that gets no answer within `timeout` fails the request
 * with `STORAGE_UNAVAILABLE` instead of hanging it; when the server is back, the next request works.
 *
 * @example
 * import pg from 'pg'
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * const sessions = createSessions({ secret, sessions: [cookie(Login, { storage: postgresStorage(pool) })] })
 */
export function postgresStorage(pool: PostgresPool, options: PostgresStorageOptions = {}): PostgresStorage {
  assertKnownOptions(options, POSTGRES_STORAGE_OPTIONS, 'postgresStorage()')
  if (!pool || typeof pool.connect !== 'function') {
    throw new SessionError('INVALID_OPTION', 'postgresStorage needs a pg Pool')
  }
  const table = options.table ?? 'tessera_sessions'
  parseTableName(table)
  const sql = postgresStatements(table)
  const timeout = options.timeout ?? 1000
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new SessionError(
      'INVALID_OPTION',
      'postgresStorage timeout must be a positive number of milliseconds',
    )
  }
  // pg's Pool emits 'error' when an idle connection dies (the server restarted, say); with no
  // listener Node would end the process. The storage's requests see such failures anyway.
  if (typeof pool.on === 'function' && pool.listenerCount?.('error') === 0) pool.on('error', () => {})

  /** Runs one statement on a pooled connection, within `timeout`; rejects with the driver's error. */
  async function execute(operation: string, text: string, values?: unknown[]) {
    const started = Date.now()
    const connecting = pool.connect()
    let client: PostgresPoolClient
    try {
      client = await withTimeout(connecting, timeout, STORAGE, operation)
    } catch (error) {
      connecting.then(
        (late) => late.release(),
        () => {},
      ) // a connection that arrives too late goes back unused
      throw error
    }
    const swallow = () => {} // the statement fails on its own; without a listener a dead connection would throw
    client.on('error', swallow)
    const remaining = Math.max(1, timeout - (Date.now() - started))
    let timedOut = false
    try {
      const result = await withTimeout(
        client.query({ text, values }),
        remaining,
        STORAGE,
        operation,
        timeout,
      ).catch((error: unknown) => {
        timedOut = isSessionError(error, 'STORAGE_UNAVAILABLE')
        throw error
      })
      client.removeListener('error', swallow)
      client.release()
      return result
    } catch (error) {
      // A statement given up is cancelled on the server, so it cannot apply later (after a lock
      // wait, say) a write this request reports as failed; then its connection is closed.
      if (timedOut) await cancelStatement(client, CANCEL_WAIT_MS)
      client.removeListener('error', swallow)
      // A server's SQL error leaves the connection usable; anything else (timeout, network) may not.
      const usable = !timedOut && typeof (error as { severity?: unknown } | null)?.severity === 'string'
      client.release(usable ? undefined : true)
      throw error
    }
  }

  let tableReady = options.createTable === false
  let creating: Promise<void> | undefined
  function ensureTable(): Promise<void> {
    creating ??= (async () => {
      try {
        await execute('ensureTable', sql.createTable).catch((error: unknown) => {
          if (!CREATE_RACE.has((error as { code?: string } | null)?.code ?? '')) throw error
          return execute('ensureTable', sql.createTable) // another process created it meanwhile: now it exists
        })
        tableReady = true
      } catch (error) {
        creating = undefined // the next request tries again
        throw storageFailure(STORAGE, 'ensureTable', error)
      }
    })()
    return creating
  }

  async function run(operation: string, text: string, values: unknown[]) {
    if (!tableReady) await ensureTable()
    try {
      return await execute(operation, text, values)
    } catch (error) {
      throw storageFailure(STORAGE, operation, error)
    }
  }

  async function sweep(): Promise<number> {
    let total = 0
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const { rowCount } = await run('sweep', sql.sweep, [SWEEP_BATCH])
      total += rowCount ?? 0
      if ((rowCount ?? 0) < SWEEP_BATCH) break
    }
    return total
  }

  const stopSweeper = startSweeper(sweep, options.sweepInterval ?? '10m', STORAGE)

  return {
    table,
    ensureTable,
    sweep,
    close: stopSweeper,

    async read(id) {
      assertSessionId(id, STORAGE)
      const { rows } = await run('read', sql.read, [id])
      const row = rows[0]
      if (!row) return null
      return {
        data: row.data,
        version: Number(row.version),
        expiresAt: row.expires_at === null ? 0 : Number(row.expires_at),
      }
    },

    async write(id, data, { ttl, expectedVersion, owner }) {
      assertSessionId(id, STORAGE)
      const values: unknown[] = [id, data, owner ?? null, Math.max(0, ttl)]
      let text = sql.writeAny
      if (expectedVersion === null) text = sql.writeNew
      else if (expectedVersion !== undefined) {
        text = sql.writeVersion
        values.push(expectedVersion)
      }
      const { rows } = await run('write', text, values)
      return rows[0] ? Number(rows[0].version) : null
    },

    async invalidate(id) {
      assertSessionId(id, STORAGE)
      await run('invalidate', sql.invalidate, [id])
    },

    async invalidateOwner(owner) {
      if (typeof owner !== 'string')
        throw new SessionError('INVALID_VALUE', 'postgres storage: owner must be a string')
      const { rows } = await run('invalidateOwner', sql.invalidateOwner, [owner])
      return Number(rows[0]?.count ?? 0)
    },

    async listOwner(owner) {
      if (typeof owner !== 'string')
        throw new SessionError('INVALID_VALUE', 'postgres storage: owner must be a string')
      const { rows } = await run('listOwner', sql.listOwner, [owner])
      return rows.map((row) => ({
        id: row.id,
        data: row.data,
        version: Number(row.version),
        expiresAt: row.expires_at === null ? 0 : Number(row.expires_at),
      }))
    },
  }
}
