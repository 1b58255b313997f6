import { READ_PATH, RMW_PATH } from '../workload'

/** One load row: which server, which path, what it is compared with. */
export interface HttpRowSpec {
  /** The server's key in `servers/index.ts`, also used by `--only`. */
  readonly id: string
  /** Unique per row: the id, or `before/<id>` for a row on the baseline checkout's packages. */
  readonly key: string
  /** Another checkout whose packages the row's server imports (`--baseline`); this one's when absent. */
  readonly tesseraDir?: string | undefined
  /** For a row measured on this checkout's packages: the key of the same row on the baseline's. */
  readonly before?: string | undefined
  /** The row's name in RESULTS.md and results.json. */
  readonly name: string
  readonly path: string
  readonly kind: 'baseline' | 'peer' | 'tessera'
  /** For adapter rows: the id of the same framework without sessions (the `framework` ratio). */
  readonly framework?: string
  /**
   * For adapter rows: the id of the node:http row doing the same session work (the `node-tessera`
   * ratio). Next to `framework`, it tells the adapter's own cost from the session work's.
   */
  readonly sameWork?: string
  /** Repository files that must exist before the row can run; until then it reads "pending". */
  readonly requires: readonly string[]
}

const NODE = 'packages/node/src/index.ts'
const HTTP = 'packages/node/src/http/index.ts'

/** The ratio keys of results.json, each naming the row it divides by. */
export const PEER_REFERENCES = {
  bare: 'bare',
  'plain-cookie': 'plain-cookie',
  'signed-cookie': 'signed-cookie',
  'fastify-secure-session': 'fastify-secure-session',
  'iron-session': 'iron-session',
  'express-session': 'express-session',
  'cookie-session': 'cookie-session',
} as const

/** Every HTTP row, in the order they run (references first, so `--only` can skip them knowingly). */
const ROW_DEFINITIONS: readonly Omit<HttpRowSpec, 'key' | 'tesseraDir' | 'before'>[] = [
  { id: 'bare', name: 'node:http (no sessions)', path: RMW_PATH, kind: 'baseline', requires: [] },
  {
    id: 'plain-cookie',
    name: 'node:http + plain cookie (no crypto, no library)',
    path: RMW_PATH,
    kind: 'baseline',
    requires: [],
  },
  {
    id: 'signed-cookie',
    name: 'node:http + cookie signed by hand (HMAC-SHA256, no library)',
    path: RMW_PATH,
    kind: 'baseline',
    requires: [],
  },
  {
    id: 'redis-by-hand',
    name: 'node:http + Redis by hand (ioredis GET and SET, no library)',
    path: RMW_PATH,
    kind: 'baseline',
    requires: [],
  },
  { id: 'express', name: 'express (no sessions)', path: RMW_PATH, kind: 'baseline', requires: [] },
  { id: 'fastify', name: 'fastify (no sessions)', path: RMW_PATH, kind: 'baseline', requires: [] },
  {
    id: 'fastify-secure-session',
    name: 'fastify + @fastify/secure-session',
    path: RMW_PATH,
    kind: 'peer',
    requires: [],
  },
  {
    id: 'express-session',
    name: 'express + express-session (memory)',
    path: RMW_PATH,
    kind: 'peer',
    requires: [],
  },
  { id: 'cookie-session', name: 'express + cookie-session', path: RMW_PATH, kind: 'peer', requires: [] },
  { id: 'iron-session', name: 'node:http + iron-session', path: RMW_PATH, kind: 'peer', requires: [] },
  {
    id: 'tessera-signed',
    name: 'node:http + tessera signed',
    path: RMW_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP],
  },
  {
    id: 'tessera-sealed',
    name: 'node:http + tessera sealed',
    path: RMW_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP],
  },
  {
    id: 'tessera-ed25519',
    name: 'node:http + tessera ed25519',
    path: RMW_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP],
  },
  {
    id: 'tessera-stored-memory',
    name: 'node:http + tessera stored (memory)',
    path: RMW_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP],
  },
  {
    id: 'tessera-stored-redis',
    name: 'node:http + tessera stored (redis)',
    path: RMW_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP, 'packages/node/src/redis/index.ts'],
  },
  {
    id: 'tessera-read-only',
    name: 'node:http + tessera signed read-only',
    path: READ_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP],
  },
  {
    id: 'tessera-date-map',
    name: 'node:http + tessera signed Date+Map',
    path: RMW_PATH,
    kind: 'tessera',
    requires: [NODE, HTTP],
  },
  {
    id: 'express-tessera',
    name: 'express + tessera signed',
    path: RMW_PATH,
    kind: 'tessera',
    framework: 'express',
    sameWork: 'tessera-signed',
    requires: [NODE, 'packages/node/src/express/index.ts'],
  },
  {
    id: 'fastify-tessera',
    name: 'fastify + tessera signed',
    path: RMW_PATH,
    kind: 'tessera',
    framework: 'fastify',
    sameWork: 'tessera-signed',
    requires: [NODE, 'packages/node/src/fastify/index.ts'],
  },
]

/** The rows `--baseline` also runs on the older checkout's packages (the before/after of a change). */
export const BASELINE_ROW_IDS: readonly string[] = [
  'tessera-signed',
  'tessera-sealed',
  'tessera-stored-memory',
  'tessera-stored-redis',
  'express-tessera',
  'fastify-tessera',
]

/** The suffix of a baseline row's name. */
export const BEFORE_SUFFIX = ' (before)'

/** Every HTTP row, in the order they run (references first, so `--only` can skip them knowingly). */
export const HTTP_ROWS: readonly HttpRowSpec[] = ROW_DEFINITIONS.map((row) => ({ ...row, key: row.id }))

/**
 * The rows of a run: {@link HTTP_ROWS}, and with a baseline checkout, each of
 * {@link BASELINE_ROW_IDS} once more on that checkout's packages (`before/<id>`, named
 * "<name> (before)"), interleaved in the same rounds; the row on this checkout gets a `before` ratio.
 */
export function httpRows(baselineDir?: string): HttpRowSpec[] {
  if (baselineDir === undefined) return [...HTTP_ROWS]
  const rows: HttpRowSpec[] = []
  for (const row of HTTP_ROWS) {
    if (!BASELINE_ROW_IDS.includes(row.id)) {
      rows.push(row)
      continue
    }
    const key = `before/${row.id}`
    // The older checkout has its own files; only the bench's own requirements are checked here.
    rows.push({ ...row, before: key })
    rows.push({ ...row, key, name: `${row.name}${BEFORE_SUFFIX}`, tesseraDir: baselineDir, requires: [] })
  }
  return rows
}
