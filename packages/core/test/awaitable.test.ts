import { describe, expect, it } from 'vitest'
import { loadOnce, when } from '../src/internal'

describe('loadOnce', () => {
  it('loads once for concurrent calls, then hands the module out at once', async () => {
    let loads = 0
    const load = loadOnce(async () => {
      loads++
      return { name: 'module' }
    })
    expect(load.now()).toBeUndefined()
    const [a, b] = await Promise.all([load(), load()])
    expect(a).toBe(b)
    expect(loads).toBe(1)
    expect(load()).toBe(a) // synchronous once loaded: no promise
    expect(load.now()).toBe(a)
  })

  it('tries again after a failed load instead of failing forever (a chunk that did not arrive)', async () => {
    let attempts = 0
    const load = loadOnce(async () => {
      attempts++
      if (attempts === 1) throw new Error('network')
      return 'loaded'
    })
    await expect(Promise.resolve(load())).rejects.toThrow('network')
    expect(await load()).toBe('loaded')
    expect(attempts).toBe(2)
  })
})

describe('when', () => {
  it('calls through at once for a value, after settling for a thenable', async () => {
    expect(when(2, (n) => n * 3)).toBe(6)
    const later = when(Promise.resolve(2), (n) => n * 3)
    expect(later).toBeInstanceOf(Promise)
    expect(await later).toBe(6)
  })
})
