import { READ_PATH, RMW_PATH } from '../workload'

/** One load row: which server, which path, what it is compared with. */
export interface HttpRowSpec {
  /** The server's key in `servers/index.ts`, also used by `--only`. */
  readonly id: string
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
  'fastify-secure-session': 'fastify-secure-session',
  'iron-session': 'iron-session',
  'express-session': 'express-session',
  'cookie-session': 'cookie-session',
} as const

/** Every HTTP row, in the order they run (references first, so `--only` can skip them knowingly). */
export const HTTP_ROWS: readonly HttpRowSpec[] = [
  { id: 'bare', name: 'node:http (no sessions)', path: RMW_PATH, kind: 'baseline', requires: [] },
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
