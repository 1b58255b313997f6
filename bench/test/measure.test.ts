import { describe, expect, it } from 'vitest'
import { measureRound, median } from '../src/lib/measure'

describe('measure', () => {
  it('takes the median, averaging the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('stops at maxOps, sync or async', async () => {
    let calls = 0
    const sync = await measureRound(() => calls++, { warmupMs: 0, timeMs: 60_000, rounds: 1, maxOps: 100 })
    expect(sync.ops).toBe(100)
    expect(calls).toBe(100)
    let awaited = 0
    const async = await measureRound(
      async () => {
        awaited++
      },
      { warmupMs: 0, timeMs: 60_000, rounds: 1, maxOps: 50 },
    )
    expect(async.ops).toBe(50)
    expect(awaited).toBe(50)
  })
})
