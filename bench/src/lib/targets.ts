import type { Row } from './rows'
import { HTTP_CAPACITY_GROUP } from './rows'

/** One of the brief's targets, read from a measured row. */
export interface Target {
  readonly label: string
  readonly group: string
  readonly row: string
  /** A ratio key, or `value` for the row's own value. */
  readonly key: string
  readonly min?: number
  readonly max?: number
}

/** How a target came out. */
export interface TargetOutcome extends Target {
  readonly got: number | null
  /** `unstable`: a row the ratio reads spread by more than 15% over its rounds; rerun on a quieter machine. */
  readonly result: 'pass' | 'miss' | 'pending' | 'unstable'
  /** For a miss: how far off, e.g. "-18% short of 1.5". */
  readonly by?: string | undefined
}

/** Server-side sessions: one round trip to read, one to write, zero when nothing changed. */
function roundTripTargets(storage: string): Target[] {
  const target = (label: string, scenario: string, max: number): Target => ({
    label: `stored (${storage}): round trips ${label}`,
    group: 'storage',
    row: `stored (${storage}), ${scenario}`,
    key: 'value',
    max,
  })
  return [
    target('to read', 'read-only', 1),
    target('to read and write', 'read-modify-write', 2),
    target('when untouched', 'untouched', 0),
    target('when an equal value is set', 'set of an equal value', 1),
  ]
}

const SIGNED = 'node:http + tessera signed'

/*
 * The HTTP targets are read by capacity (requests per second of the server's own CPU, see
 * ../groups/http.ts): on this two-core machine the req/s of a round moves with the load generator and
 * the hypervisor, the server's CPU time per request far less.
 */
const HTTP_GROUP = HTTP_CAPACITY_GROUP

/** The targets (issue #16 for speed, the storage budget for round trips), as the benchmark prints them. */
export const TARGETS: readonly Target[] = [
  {
    label: 'signed read-modify-write vs fastify + secure-session',
    group: HTTP_GROUP,
    row: SIGNED,
    key: 'fastify-secure-session',
    min: 1.4,
  },
  {
    label: 'signed read-modify-write vs bare node:http',
    group: HTTP_GROUP,
    row: SIGNED,
    key: 'bare',
    min: 0.7,
  },
  {
    label: 'sealed read-modify-write vs fastify + secure-session',
    group: HTTP_GROUP,
    row: 'node:http + tessera sealed',
    key: 'fastify-secure-session',
    min: 1.1,
  },
  {
    label: 'stored in Redis vs bare node:http',
    group: HTTP_GROUP,
    row: 'node:http + tessera stored (redis)',
    key: 'bare',
    min: 0.3,
  },
  {
    label: 'signed Date+Map vs fastify + secure-session',
    group: HTTP_GROUP,
    row: 'node:http + tessera signed Date+Map',
    key: 'fastify-secure-session',
    min: 1.0,
  },
  {
    label: 'read-only vs bare node:http',
    group: HTTP_GROUP,
    row: 'node:http + tessera signed read-only',
    key: 'bare',
    min: 0.6,
  },
  {
    label: 'Express adapter vs Express alone',
    group: HTTP_GROUP,
    row: 'express + tessera signed',
    key: 'framework',
    min: 0.9,
  },
  {
    label: 'Fastify adapter vs Fastify alone',
    group: HTTP_GROUP,
    row: 'fastify + tessera signed',
    key: 'framework',
    min: 0.8,
  },
  ...roundTripTargets('memory'),
  ...roundTripTargets('redis'),
]

/** Bundle rows that carry a budget (from the browser size script) become targets too. */
function budgetTargets(rows: readonly Row[]): Target[] {
  return rows
    .filter((row) => row.group === 'bundle' && row.ratio.budget !== undefined)
    .map((row) => ({
      label: `bundle within budget: ${row.name}`,
      group: 'bundle',
      row: row.name,
      key: 'budget',
      max: 1,
    }))
}

const format = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2))

/**
 * Reads every target off the rows: pass, miss (and by how much), pending when a row did not run, or
 * unstable when the ratio is not to be quoted (a row's rounds spread by more than 15%).
 */
export function checkTargets(rows: readonly Row[]): TargetOutcome[] {
  return [...TARGETS, ...budgetTargets(rows)].map((target) => {
    const row = rows.find((r) => r.group === target.group && r.name === target.row)
    const got =
      row && row.status === 'ok'
        ? target.key === 'value'
          ? row.value
          : (row.ratio[target.key] ?? null)
        : null
    if (got === null) return { ...target, got: null, result: 'pending' }
    if (row?.unstable?.includes(target.key)) return { ...target, got, result: 'unstable' }
    if (target.min !== undefined && got < target.min) {
      return {
        ...target,
        got,
        result: 'miss',
        by: `${Math.round((got / target.min - 1) * 100)}% short of ${format(target.min)}`,
      }
    }
    if (target.max !== undefined && got > target.max) {
      const by =
        target.key === 'value'
          ? `${format(got - target.max)} over ${format(target.max)}`
          : `${Math.round((got / target.max - 1) * 100)}% over`
      return { ...target, got, result: 'miss', by }
    }
    return { ...target, got, result: 'pass' }
  })
}

/** "≥ 1.5×", "≤ 1" */
export function describeNeed(target: Target): string {
  if (target.min !== undefined) return `≥ ${format(target.min)}×`
  return target.key === 'value' ? `≤ ${format(target.max!)}` : `≤ ${format(target.max!)}×`
}
