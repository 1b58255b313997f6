import { SessionError } from '@tessera/core'

/** The statements of the PostgreSQL storage for one table, built once. */
export interface PostgresStatements {
  readonly createTable: string
  readonly read: string
  readonly writeAny: string
  readonly writeNew: string
  readonly writeVersion: string
  readonly invalidate: string
  readonly invalidateOwner: string
  readonly listOwner: string
  readonly sweep: string
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/

/** `table` or `schema.table`, each part a plain identifier, quoted; plus the bare table name. */
export function parseTableName(table: string): { readonly quoted: string; readonly bare: string } {
  const parts = typeof table === 'string' ? table.split('.') : []
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new SessionError(
      'INVALID_OPTION',
      'postgresStorage table must be "name" or "schema.name", letters, digits and _ (not starting with a digit)',
    )
  }
  return { quoted: parts.map((part) => `"${part}"`).join('.'), bare: parts[parts.length - 1]! }
}

/**
 * The table and its two partial indexes. Expired rows are found through `expires_at` (never a scan
 * of live rows); a user's rows through `owner`. Safe to run again.
 *
 * @example console.log(postgresTableSql('app.sessions')) // paste into a migration
 */
export function postgresTableSql(table = 'tessera_sessions'): string {
  const { quoted, bare } = parseTableName(table)
  return `CREATE TABLE IF NOT EXISTS ${quoted} (
  id text PRIMARY KEY,
  data text NOT NULL,
  version integer NOT NULL,
  owner text,
  expires_at timestamptz
);
CREATE INDEX IF NOT EXISTS "${bare}_expires_at_idx" ON ${quoted} (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS "${bare}_owner_idx" ON ${quoted} (owner) WHERE owner IS NOT NULL;
`
}

/** Parameters: $1 id, $2 data, $3 owner (null: keep), $4 ttl ms (0: never), $5 expected version. */
export function postgresStatements(table: string): PostgresStatements {
  const { quoted } = parseTableName(table)
  const expiry = `CASE WHEN $4::float8 > 0 THEN now() + $4::float8 * interval '1 millisecond' END`
  const live = (alias: string) => `(${alias}.expires_at IS NULL OR ${alias}.expires_at > now())`
  const insert = `INSERT INTO ${quoted} AS s (id, data, version, owner, expires_at) VALUES ($1, $2, 1, $3::text, ${expiry})`
  return {
    createTable: postgresTableSql(table),
    read: `SELECT data, version, floor(extract(epoch FROM expires_at) * 1000)::float8 AS expires_at
FROM ${quoted} AS s WHERE id = $1 AND ${live('s')}`,
    // Unconditional: an expired row counts as absent (its version and owner start over).
    writeAny: `${insert}
ON CONFLICT (id) DO UPDATE SET data = excluded.data,
  version = CASE WHEN ${live('s')} THEN s.version + 1 ELSE 1 END,
  owner = CASE WHEN excluded.owner IS NOT NULL THEN excluded.owner WHEN ${live('s')} THEN s.owner END,
  expires_at = excluded.expires_at
RETURNING version`,
    // Create only: succeeds when there is no row or only an expired one.
    writeNew: `${insert}
ON CONFLICT (id) DO UPDATE SET data = excluded.data, version = 1, owner = excluded.owner, expires_at = excluded.expires_at
WHERE NOT ${live('s')}
RETURNING version`,
    // Compare-and-set: the row must be live and at the expected version. Under READ COMMITTED a
    // concurrent UPDATE of the row makes this one re-check its WHERE against the new version.
    writeVersion: `UPDATE ${quoted} AS s SET data = $2, version = s.version + 1, owner = COALESCE($3::text, s.owner),
  expires_at = ${expiry}
WHERE s.id = $1 AND s.version = $5 AND ${live('s')}
RETURNING version`,
    invalidate: `DELETE FROM ${quoted} WHERE id = $1`,
    invalidateOwner: `WITH gone AS (DELETE FROM ${quoted} AS s WHERE owner = $1 RETURNING expires_at)
SELECT count(*)::int AS count FROM gone AS s WHERE ${live('s')}`,
    // Through the owner index; expired rows are left to the sweeper, never listed.
    listOwner: `SELECT id, data, version, floor(extract(epoch FROM expires_at) * 1000)::float8 AS expires_at
FROM ${quoted} AS s WHERE owner = $1 AND ${live('s')}`,
    // One batch of expired rows, found through the expires_at index; rows another sweeper holds are skipped.
    sweep: `DELETE FROM ${quoted} WHERE id IN (
  SELECT id FROM ${quoted} WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
)`,
  }
}
