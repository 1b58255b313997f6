import { describe, expect, it } from 'vitest'
import { renderJson, renderMarkdown } from '../src/lib/report'
import type { Row } from '../src/lib/rows'
import { unmeasured } from '../src/lib/rows'

const rows: Row[] = [
  {
    group: 'http',
    name: 'node:http + tessera signed',
    metric: 'req/s',
    value: 20000,
    ratio: { bare: 0.5 },
    status: 'ok',
    note: 'a | note',
    extra: { 'p99 ms': 3 },
  },
  unmeasured('http', 'node:http + tessera sealed', 'req/s', 'pending', 'not there yet'),
]

describe('reports', () => {
  it('results.json holds exactly group, name, metric, value and ratio per row', () => {
    const parsed = JSON.parse(renderJson(rows)) as { rows: Record<string, unknown>[] }
    expect(Object.keys(parsed)).toEqual(['rows'])
    for (const row of parsed.rows)
      expect(Object.keys(row).sort()).toEqual(['group', 'metric', 'name', 'ratio', 'value'])
    expect(parsed.rows[1]).toEqual({
      group: 'http',
      name: 'node:http + tessera sealed',
      metric: 'req/s',
      value: null,
      ratio: {},
    })
  })

  it('RESULTS.md has the machine line, a table per group, pending rows and escaped cells', () => {
    const info = {
      date: new Date(3_600_000),
      machine: 'CPU X, 2 cores, Node v20',
      mode: 'quick',
      only: [],
      seconds: 125,
    }
    const markdown = renderMarkdown(info, rows, [])
    expect(markdown).toContain('Machine: CPU X, 2 cores, Node v20.')
    expect(markdown).toContain('Date: 1970-01-01 00:57 to 1970-01-01 01:00 UTC')
    expect(markdown).toContain('| node:http + tessera signed | 20,000 | 3 | 0.50× | a \\| note |')
    expect(markdown).toContain('| node:http + tessera sealed | **pending** |')
  })

  it('marks a ratio from a row that spread too much "unstable, rerun", and says where the rows ran', () => {
    const unsteady: Row = { ...rows[0]!, ratio: { bare: 0.5, framework: 0.9 }, unstable: ['framework'] }
    const info = {
      date: new Date(0),
      machine: 'CPU X',
      mode: 'full',
      only: [],
      seconds: 5,
      placement: 'pinned',
    }
    const markdown = renderMarkdown(info, [unsteady], [])
    expect(markdown).toContain('| 0.50× | 0.90× (unstable, rerun) |')
    expect(markdown).toContain('HTTP rows: pinned.')
    expect(JSON.parse(renderJson([unsteady])).rows[0].ratio).toEqual({ bare: 0.5, framework: 0.9 })
  })
})
