import { describe, expect, it } from 'vitest'
import { parseSizes } from '../src/groups/bundle'

describe('parseSizes', () => {
  it("reads size-limit's JSON output, after whatever it printed first", () => {
    const stdout = `- Adding to empty esbuild project\n[\n  {"name":"readSession","passed":true,"size":3625,"sizeLimit":4000},\n  {"name":"no limit","passed":true,"size":120}\n]\n`
    expect(parseSizes(stdout)).toEqual([
      { name: 'readSession', passed: true, size: 3625, sizeLimit: 4000 },
      { name: 'no limit', passed: true, size: 120 },
    ])
  })

  it('keeps only entries with a name and a size', () => {
    expect(parseSizes('[{"name":"a","size":1},{"name":"b"},{"size":3}]')).toEqual([{ name: 'a', size: 1 }])
  })

  it('finds nothing in output without sizes', () => {
    expect(parseSizes('error: something broke\n')).toEqual([])
    expect(parseSizes('[not json')).toEqual([])
  })
})
