import { afterEach, describe, expect, it } from 'vitest'
import { pinLoadGenerator } from '../src/lib/pinning'

describe('pinLoadGenerator', () => {
  const path = process.env.PATH

  afterEach(() => {
    process.env.PATH = path
  })

  it('falls back cleanly, and says so, where taskset cannot be found', () => {
    process.env.PATH = '/nonexistent'
    const pinning = pinLoadGenerator()
    expect(pinning.pinned).toBe(false)
    expect(pinning.description).toMatch(/^not pinned \((taskset is missing or refused|one core)\)/)
  })
})
