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
 * tessera's HTTP path added nothing beyond that work. For the signed row against bare node:http two
 * floors are measured over HTTP instead: a plain cookie, and a cookie signed by hand.
 */

const GROUP = 'floor'
const PLAIN_COOKIE = 'node:http + plain cookie (no crypto, no library)'
const SIGNED_COOKIE = 'node:http + cookie signed by hand (HMAC-SHA256, no library)'

const PRIMITIVES = [
  'HMAC-SHA256 sign (node:crypto)',
  'HMAC-SHA256 verify (node:crypto)',
  'JSON.stringify (cart)',
  'JSON.parse (cart)',
]
const ENGINE = 'tessera engine, signed read-modify-write (no HTTP)'

/** The session-row targets with a floor: which tessera row, which reference row, the ratio key. */
const FLOORS = [
  {
    label: 'signed vs bare node:http',
    row: 'node:http + tessera signed',
    reference: 'node:http (no sessions)',
    key: 'bare',
  },
  {
    label: 'Express adapter vs Express alone',
    row: 'express + tessera signed',
    reference: 'express (no sessions)',
    key: 'framework',
  },
  {
    label: 'Fastify adapter vs Fastify alone',
    row: 'fastify + tessera signed',
    reference: 'fastify (no sessions)',
    key: 'framework',
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
    add('sign + verify + JSON encode + decode', primitives)
    add('the engine (no HTTP)', engine)
    if (floor.key === 'bare') {
      // Measured rather than added up: node:http keeping the cart in a cookie with no crypto at all,
      // and in one signed by hand (the least any signed cookie session does).
      const measured = (name: string, label: string) => {
        const best = rows.find((r) => r.group === HTTP_CAPACITY_GROUP && r.name === name)?.ratio.bare
        const got = tessera?.ratio.bare
        if (best === undefined) return
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
      measured(PLAIN_COOKIE, 'best for any cookie session: a plain cookie')
      measured(SIGNED_COOKIE, 'best for a signed cookie: one signed by hand')
    }
  }
  return out
}
