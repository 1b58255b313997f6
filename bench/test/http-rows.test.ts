import { describe, expect, it } from 'vitest'
import type { Summary } from '../src/groups/http'
import { CAPACITY, ratiosOf, STABLE_SPREAD, spreadOf } from '../src/groups/http'
import type { Round, Unmeasured } from '../src/http/load'
import { BASELINE_ROW_IDS, HTTP_ROWS, httpRows } from '../src/http/rows'

const round = (reqPerSec: number, cpuPerRequest = 10): Round => ({
  reqPerSec,
  p50: 1,
  p99: 2,
  requests: 1,
  cpuPerRequest,
})
/** A measured row (its figures are not read: ratios and spreads come from the rounds). */
const measured: Summary = {
  reqPerSec: 1,
  p50: 1,
  p99: 2,
  requests: 3,
  spread: 0,
  cpuPerRequest: 1,
  capacity: 1,
  capacitySpread: 0,
}

describe('httpRows', () => {
  it('without a baseline, is the catalogue', () => {
    expect(httpRows().map((row) => row.key)).toEqual(HTTP_ROWS.map((row) => row.id))
  })

  it('with a baseline, adds a "before" twin after each baseline row, on that checkout', () => {
    const rows = httpRows('/tmp/old')
    const twins = rows.filter((row) => row.tesseraDir === '/tmp/old')
    expect(twins.map((row) => row.id)).toEqual([...BASELINE_ROW_IDS])
    for (const twin of twins) {
      const after = rows.find((row) => row.key === twin.id)!
      expect(after.before).toBe(twin.key)
      expect(twin.name).toBe(`${after.name} (before)`)
      expect(rows.indexOf(twin)).toBe(rows.indexOf(after) + 1)
    }
  })
})

describe('spreadOf', () => {
  it('is the range over the median, the best and the worst round set aside from five rounds on', () => {
    expect(spreadOf([100, 110, 90])).toBe(20)
    expect(spreadOf([100, 102, 98, 101, 70])).toBe(3)
    // Two slow rounds still show.
    expect(spreadOf([100, 102, 80, 101, 70])).toBe(21)
    expect(spreadOf([])).toBe(0)
  })
})

describe('ratiosOf', () => {
  const signed = httpRows('/tmp/old').find((row) => row.key === 'tessera-signed')!
  const results = new Map<string, Summary | Unmeasured>([
    ['tessera-signed', measured],
    ['bare', measured],
    ['before/tessera-signed', measured],
  ])

  it('is the median of per-round ratios, stable when both rows spread at most 15%', () => {
    const rounds = new Map([
      ['tessera-signed', [round(70), round(75), round(81.25)]],
      ['bare', [round(100), round(110), round(104)]],
      ['before/tessera-signed', [round(50), round(50), round(50)]],
    ])
    expect(spreadOf([70, 75, 81.25])).toBe(STABLE_SPREAD)
    expect(ratiosOf(signed, results, rounds)).toEqual({ ratio: { bare: 0.7, before: 1.5 }, unstable: [] })
  })

  it('marks a ratio unstable when either row spread more than 15%', () => {
    const rounds = new Map([
      ['tessera-signed', [round(70), round(70), round(70)]],
      ['bare', [round(100), round(117), round(100)]],
      ['before/tessera-signed', [round(50), round(50), round(50)]],
    ])
    expect(ratiosOf(signed, results, rounds).unstable).toEqual(['bare'])
  })

  it('by capacity, compares what each server spent per request, whatever the load generator managed', () => {
    // The load generator stalled in tessera's second round (req/s spread 100%); the server's cost did not move.
    const rounds = new Map([
      ['tessera-signed', [round(70, 40), round(35, 40), round(70, 41)]],
      ['bare', [round(100, 10), round(100, 10), round(100, 10)]],
      ['before/tessera-signed', [round(50, 40), round(50, 40), round(50, 40)]],
    ])
    expect(ratiosOf(signed, results, rounds).unstable).toEqual(['bare', 'before'])
    expect(ratiosOf(signed, results, rounds, CAPACITY)).toEqual({
      ratio: { bare: 0.25, before: 1 },
      unstable: [],
    })
  })

  it('gives no ratio against a reference that failed, and marks every ratio of a failed row unstable', () => {
    const rounds = new Map([
      ['tessera-signed', [round(70), round(70)]],
      ['bare', [round(100), round(100)]],
      ['before/tessera-signed', [round(50), round(50)]],
    ])
    const failedReference = new Map([...results, ['bare', { status: 'failed' as const, reason: 'x' }]])
    expect(ratiosOf(signed, failedReference, rounds).ratio).toEqual({ before: 1.4 })
    const failedRow = new Map([...results, ['tessera-signed', { status: 'failed' as const, reason: 'x' }]])
    expect(ratiosOf(signed, failedRow, rounds).unstable).toEqual(['bare', 'before'])
  })
})
