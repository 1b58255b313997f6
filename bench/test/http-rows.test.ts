import { describe, expect, it } from 'vitest'
import type { Summary } from '../src/groups/http'
import { ratiosOf, STABLE_SPREAD } from '../src/groups/http'
import type { Round } from '../src/http/load'
import { BASELINE_ROW_IDS, HTTP_ROWS, httpRows } from '../src/http/rows'

const round = (reqPerSec: number): Round => ({ reqPerSec, p50: 1, p99: 2, requests: 1, cpuPerRequest: 1 })
const summary = (spread: number): Summary => ({
  reqPerSec: 1,
  p50: 1,
  p99: 2,
  requests: 3,
  spread,
  cpuPerRequest: 1,
})

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

describe('ratiosOf', () => {
  const signed = httpRows('/tmp/old').find((row) => row.key === 'tessera-signed')!
  const rounds = new Map([
    ['tessera-signed', [round(60), round(70), round(80)]],
    ['bare', [round(100), round(100), round(100)]],
    ['before/tessera-signed', [round(50), round(50), round(50)]],
  ])

  it('is the median of per-round ratios, stable when both rows spread at most 15%', () => {
    const results = new Map([
      ['tessera-signed', summary(STABLE_SPREAD)],
      ['bare', summary(3)],
      ['before/tessera-signed', summary(0)],
    ])
    expect(ratiosOf(signed, results, rounds)).toEqual({ ratio: { bare: 0.7, before: 1.4 }, unstable: [] })
  })

  it('marks a ratio unstable when either row spread more than 15%', () => {
    const results = new Map([
      ['tessera-signed', summary(3)],
      ['bare', summary(STABLE_SPREAD + 1)],
      ['before/tessera-signed', summary(0)],
    ])
    expect(ratiosOf(signed, results, rounds).unstable).toEqual(['bare'])
  })
})
