import type { LoadOptions, LoadOutcome } from '../http/load'
import { runLoadRow } from '../http/load'
import type { HttpRowSpec } from '../http/rows'
import { HTTP_ROWS, PEER_REFERENCES } from '../http/rows'
import type { Row } from '../lib/rows'
import { roundRatio, unmeasured } from '../lib/rows'

const GROUP = 'http'
const LATENCY_GROUP = 'http-latency'

/**
 * The ratios of one row. Every row gets `bare`; tessera rows also get each peer; adapter rows get
 * `framework` (the same framework without sessions). A reference that did not run is left out.
 */
function ratiosOf(
  row: HttpRowSpec,
  value: number,
  results: ReadonlyMap<string, LoadOutcome>,
): Record<string, number> {
  const ratio: Record<string, number> = {}
  const add = (key: string, id: string) => {
    const reference = results.get(id)
    if (reference?.status === 'ok' && reference.reqPerSec > 0)
      ratio[key] = roundRatio(value / reference.reqPerSec)
  }
  add('bare', PEER_REFERENCES.bare)
  if (row.framework) add('framework', row.framework)
  if (row.kind === 'tessera') {
    for (const [key, id] of Object.entries(PEER_REFERENCES)) if (key !== 'bare') add(key, id)
  }
  return ratio
}

/**
 * The HTTP group: each selected row loaded in turn (one server child at a time, so the load
 * generator and one server share the machine and nothing else runs), then the ratios.
 */
export async function runHttpGroup(
  options: LoadOptions,
  select: (id: string, name: string) => boolean,
): Promise<Row[]> {
  const rows = HTTP_ROWS.filter((row) => select(row.id, row.name))
  const results = new Map<string, LoadOutcome>()
  for (const row of rows) {
    const outcome = await runLoadRow(row, options)
    results.set(row.id, outcome)
    const shown =
      outcome.status === 'ok'
        ? `${Math.round(outcome.reqPerSec).toLocaleString('en-US').padStart(9)} req/s  p99 ${outcome.p99} ms`
        : `${outcome.status}: ${outcome.reason}`
    console.log(`  ${row.name.padEnd(44)} ${shown}`)
  }
  const out: Row[] = []
  for (const row of rows) {
    const outcome = results.get(row.id)!
    if (outcome.status !== 'ok') {
      out.push(unmeasured(GROUP, row.name, 'req/s', outcome.status, outcome.reason))
      continue
    }
    out.push({
      group: GROUP,
      name: row.name,
      metric: 'req/s',
      value: Math.round(outcome.reqPerSec),
      ratio: ratiosOf(row, outcome.reqPerSec, results),
      status: 'ok',
      extra: { 'p50 ms': outcome.p50, 'p99 ms': outcome.p99, requests: outcome.requests },
    })
  }
  for (const row of rows) {
    const outcome = results.get(row.id)!
    if (outcome.status === 'ok') {
      out.push({
        group: LATENCY_GROUP,
        name: row.name,
        metric: 'p99 ms',
        value: outcome.p99,
        ratio: {},
        status: 'ok',
      })
    }
  }
  return out
}
