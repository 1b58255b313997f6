import { isSessionError } from '@tessera/core'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresStorage, postgresTableSql } from '../../src/postgres'
import { describeStorageContract } from './contract'
import { countingPgClient } from './helpers/counting'
import { newId, POSTGRES, POSTGRES_PORT, serverAvailable, sleep, uniqueSuffix } from './helpers/servers'
import { describeLifecycle } from './lifecycle'

const up = await serverAvailable('PostgreSQL', POSTGRES_PORT)
/** Every table this file creates lives in this schema, dropped at the end. */
const schema = `tessera_test_${uniqueSuffix()}`
const pools: pg.Pool[] = []
function pool(options: pg.PoolConfig = {}): pg.Pool {
  const created = new pg.Pool({ ...POSTGRES, max: 5, ...options })
  pools.push(created)
  return created
}

describe.runIf(up)('postgresStorage', () => {
  let admin: pg.Pool
  beforeAll(async () => {
    admin = pool()
    await admin.query(`CREATE SCHEMA "${schema}"`)
  })
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    const { rows } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])
    expect(rows).toEqual([])
    await Promise.all(pools.map((p) => p.end()))
  })

  describeStorageContract(
    'postgresStorage',
    () => postgresStorage(admin, { table: `${schema}.contract`, sweepInterval: false }),
    { checksIds: true },
  )
  describeLifecycle('postgresStorage', () => {
    // Connections of its own that count every statement they send: one statement, one round trip.
    const { Client, counter } = countingPgClient()
    // A generous timeout: this suite is about compare-and-set under 100 concurrent requests, not latency,
    // and CI runs it beside the other packages' suites on two cores.
    const storage = postgresStorage(pool({ Client }), {
      table: `${schema}.lifecycle`,
      sweepInterval: false,
      timeout: 10_000,
    })
    return { storage, roundTrips: () => counter.queries }
  })

  describe('postgresStorage: table, statements and sweeping', () => {
    it('creates its table and indexes on first use, as postgresTableSql prints them', async () => {
      const table = `${schema}.created`
      const storage = postgresStorage(admin, { table, sweepInterval: false })
      await storage.write(newId(), 'x', { ttl: 60_000, owner: 'ada' })
      const { rows: columns } = await admin.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = 'created' ORDER BY ordinal_position`,
        [schema],
      )
      expect(columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`)).toEqual([
        'id text NO',
        'data text NO',
        'version integer NO',
        'owner text YES',
        'expires_at timestamp with time zone YES',
      ])
      const { rows: indexes } = await admin.query(
        'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
        [schema, 'created'],
      )
      expect(indexes.map((i) => i.indexname)).toEqual([
        'created_expires_at_idx',
        'created_owner_idx',
        'created_pkey',
      ])
      expect(indexes[0].indexdef).toContain('WHERE (expires_at IS NOT NULL)')
      expect(postgresTableSql(table)).toContain(`CREATE TABLE IF NOT EXISTS "${schema}"."created"`)
    })

    it('with createTable: false, a missing table is STORAGE_UNAVAILABLE until ensureTable()', async () => {
      const storage = postgresStorage(admin, {
        table: `${schema}.later`,
        createTable: false,
        sweepInterval: false,
      })
      const error = await storage.read(newId()).catch((e: unknown) => e)
      expect(isSessionError(error, 'STORAGE_UNAVAILABLE')).toBe(true)
      expect((error as Error).message).toBe('postgres storage: read failed (42P01)') // undefined_table
      await storage.ensureTable()
      expect(await storage.read(newId())).toBeNull()
    })

    it('two storages creating one table at once both succeed', async () => {
      const table = `${schema}.raced`
      const storages = [pool(), pool()].map((p) => postgresStorage(p, { table, sweepInterval: false }))
      const ids = [newId(), newId()]
      const versions = await Promise.all(storages.map((s, i) => s.write(ids[i]!, 'x', { ttl: 60_000 })))
      expect(versions).toEqual([1, 1])
    })

    it('sweep() deletes expired rows only, in batches, through the expires_at index', async () => {
      const table = `${schema}.swept`
      const storage = postgresStorage(admin, { table, sweepInterval: false })
      const live = [newId(), newId()]
      await storage.write(live[0]!, 'live', { ttl: 60_000 })
      await storage.write(live[1]!, 'forever', { ttl: 0 })
      await admin.query(
        `INSERT INTO "${schema}".swept (id, data, version, expires_at)
         SELECT 'expired-' || n, 'x', 1, now() - interval '1 minute' FROM generate_series(1, 2500) AS n`,
      )
      expect(await storage.sweep()).toBe(2500)
      const { rows } = await admin.query(`SELECT id FROM "${schema}".swept ORDER BY id`)
      expect(rows.map((r) => r.id)).toEqual([...live].sort())
      expect(await storage.sweep()).toBe(0)
    })

    it('finds expired rows and owners through their indexes, never a scan of live rows', async () => {
      const table = `"${schema}".swept`
      const client = await admin.connect()
      try {
        await client.query('BEGIN')
        await client.query('SET LOCAL enable_seqscan = off')
        const plan = async (sql: string) =>
          (await client.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n')
        expect(
          await plan(`SELECT id FROM ${table} WHERE expires_at <= now() ORDER BY expires_at LIMIT 1000`),
        ).toContain('swept_expires_at_idx')
        expect(await plan(`SELECT id FROM ${table} WHERE owner = 'ada'`)).toContain('swept_owner_idx')
        await client.query('ROLLBACK')
      } finally {
        client.release()
      }
    })

    it('runs one statement per read and per write', async () => {
      const { Client, counter } = countingPgClient()
      const storage = postgresStorage(pool({ Client }), { table: `${schema}.counted`, sweepInterval: false })
      const id = newId()
      await storage.write(id, 'warm', { ttl: 60_000 }) // creates the table: one more statement, once
      counter.queries = 0
      await storage.read(id)
      expect(counter.queries).toBe(1)
      await storage.write(id, 'changed', { ttl: 60_000, expectedVersion: 1 })
      expect(counter.queries).toBe(2)
      await storage.write(newId(), 'new', { ttl: 60_000, expectedVersion: null })
      expect(counter.queries).toBe(3)
      await storage.invalidate(id)
      expect(counter.queries).toBe(4)
    })

    it('gives up on a statement slower than timeout, closes its connection, and keeps working', async () => {
      const slow = pool({ max: 1 })
      const storage = postgresStorage(slow, {
        table: `${schema}.contract`,
        timeout: 200,
        sweepInterval: false,
      })
      await storage.ensureTable()
      // Hold the row lock so the write waits on the server.
      const id = newId()
      await storage.write(id, 'before', { ttl: 60_000 })
      const holder = await admin.connect()
      try {
        await holder.query('BEGIN')
        await holder.query(`SELECT 1 FROM "${schema}".contract WHERE id = $1 FOR UPDATE`, [id])
        const started = Date.now()
        const error = await storage
          .write(id, 'blocked', { ttl: 60_000, expectedVersion: 1 })
          .catch((e: unknown) => e)
        expect(isSessionError(error, 'STORAGE_UNAVAILABLE')).toBe(true)
        expect((error as Error).message).toBe('postgres storage: write got no answer within 200 ms')
        expect(Date.now() - started).toBeLessThan(5000) // bounded, not a speed claim
      } finally {
        await holder.query('ROLLBACK')
        holder.release()
      }
      await sleep(50)
      // The pool's only connection was closed; the next call gets a new one and works.
      expect(await storage.write(id, 'after', { ttl: 60_000, expectedVersion: 1 })).toBe(2)
      expect((await storage.read(id))?.data).toBe('after')
    })

    it('refuses bad options', () => {
      expect(() => postgresStorage({} as pg.Pool)).toThrow(/pg Pool/)
      for (const table of ['a;drop table x', 'a.b.c', '"quoted"', '1abc', '']) {
        expect(() => postgresStorage(admin, { table, sweepInterval: false })).toThrow(/table must be/)
      }
      expect(() => postgresStorage(admin, { timeout: -1, sweepInterval: false })).toThrow(/timeout/)
    })
  })
})
