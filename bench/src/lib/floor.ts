import type { Row } from './rows'
import { HTTP_CAPACITY_GROUP, roundRatio } from './rows'

/*
 * The floor of the session targets against a row without sessions: even with an adapter that costs
 * nothing, a request that reads, changes and writes a signed session does the session work on top of
 * what the reference row does. Read from rows of the same run:
 *
 * - the reference's own cost: its `server CPU µs/req` (HTTP group);
 * - the session work, two ways: the signed primitives and the codec alone (HMAC-SHA256 sign + verify,
 *   JSON.stringify + JSON.parse of the cart: 1 / ops each, µs), and the whole engine without HTTP
 *   (`tessera engine, signed read-modify-write (no HTTP)`).
 *
 * The best ratio reachable is reference ÷ (reference + session work): what the target could read if
 * tessera's HTTP path added nothing beyond that work. Other floors are measured over HTTP instead,
 * by rows that do the least the work needs without a library: a plain cookie and a cookie signed by
 * hand for the signed row, a cart kept in Redis by hand for the Redis row.
 */

const GROUP = 'floor'

const PRIMITIVES = [
  'HMAC-SHA256 sign (node:crypto)',
  'HMAC-SHA256 verify (node:crypto)',
  'JSON.stringify (cart)',
  'JSON.parse (cart)',
]
const ENGINE = 'tessera engine, signed read-modify-write (no HTTP)'

/**
 * The session-row targets with a floor: which tessera row, which reference row, the ratio key; whether
 * the primitives' and the engine's work is added to the reference (the signed rows), and the rows
 * without a library that measure a floor over HTTP, each with what it is the best for.
 */
const FLOORS = [
  {
    label: 'signed vs bare node:http',
    row: 'node:http + tessera signed',
    reference: 'node:http (no sessions)',
    key: 'bare',
    added: true,
    measured: [
      ['node:http + plain cookie (no crypto, no library)', 'best for any cookie session: a plain cookie'],
      [
        'node:http + cookie signed by hand (HMAC-SHA256, no library)',
        'best for a signed cookie: one signed by hand',
      ],
    ],
  },
  {
    label: 'stored in Redis vs bare node:http',
    row: 'node:http + tessera stored (redis)',
    reference: 'node:http (no sessions)',
    key: 'bare',
    added: false,
    measured: [
      [
        'node:http + Redis by hand (ioredis GET and SET, no library)',
        'best for a session stored in Redis: one kept there by hand',
      ],
    ],
  },
  {
    label: 'Express adapter vs Express alone',
    row: 'express + tessera signed',
    reference: 'express (no sessions)',
    key: 'framework',
    added: true,
    measured: [],
  },
  {
    label: 'Fastify adapter vs Fastify alone',
    row: 'fastify + tessera signed',
    reference: 'fastify (no sessions)',
    key: 'framework',
    added: true,
    measured: [],
  },
] as const

function micros(rows: readonly Row[], name: string): number | undefined {
  const row = rows.find((r) => r.group === 'codec' && r.name === name)
  return row?.value ? 1e6 / row.value : undefined
}

/**
 * The floor rows: per target, the best ratio reachable with only the primitives' work added, and with
 * the whole engine's; the `tessera of best` ratio says how close the measured ratio comes to the latter.
 */
export function floorRows(rows: readonly Row[]): Row[] {
  const primitiveParts = PRIMITIVES.map((name) => micros(rows, name))
  const primitives = primitiveParts.every((part) => part !== undefined)
    ? primitiveParts.reduce((sum: number, part) => sum + part!, 0)
    : undefined
  const engine = micros(rows, ENGINE)
  const out: Row[] = []
  for (const floor of FLOORS) {
    const reference = rows.find((r) => r.group === HTTP_CAPACITY_GROUP && r.name === floor.reference)
    const tessera = rows.find((r) => r.group === HTTP_CAPACITY_GROUP && r.name === floor.row)
    const cpu = reference?.extra?.['server CPU µs/req']
    if (typeof cpu !== 'number' || cpu <= 0) continue
    const add = (work: string, micros: number | undefined) => {
      if (micros === undefined) return
      const best = cpu / (cpu + micros)
      const got = tessera?.ratio[floor.key]
      out.push({
        group: GROUP,
        name: `${floor.label}, best with ${work} added`,
        metric: 'ratio',
        value: roundRatio(best),
        ratio: got === undefined ? {} : { 'tessera of best': roundRatio(got / best) },
        status: 'ok',
        note: `${floor.reference}: ${cpu} µs/req of server CPU; ${work}: ${micros.toFixed(1)} µs`,
      })
    }
    if (floor.added) {
      add('sign + verify + JSON encode + decode', primitives)
      add('the engine (no HTTP)', engine)
    }
    // Measured rather than added up: a row without a library doing the least the session work needs.
    for (const [name, label] of floor.measured) {
      const best = rows.find((r) => r.group === HTTP_CAPACITY_GROUP && r.name === name)?.ratio[floor.key]
      const got = tessera?.ratio[floor.key]
      if (best === undefined) continue
      out.push({
        group: GROUP,
        name: `${floor.label}, ${label}, measured`,
        metric: 'ratio',
        value: best,
        ratio: got === undefined ? {} : { 'tessera of best': roundRatio(got / best) },
        status: 'ok',
        note: `${name} ÷ ${floor.reference}, same run`,
      })
    }
  }
  return out
}
