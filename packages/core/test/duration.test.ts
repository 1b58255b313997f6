import { describe, expect, it } from 'vitest'
import { isSessionError } from '../src'
import { MAX_DURATION_SECONDS, toSeconds } from '../src/internal'

describe('toSeconds', () => {
  it('reads every unit', () => {
    expect(toSeconds('90s')).toBe(90)
    expect(toSeconds('30m')).toBe(1800)
    expect(toSeconds('12h')).toBe(43_200)
    expect(toSeconds('7d')).toBe(604_800)
    expect(toSeconds('2w')).toBe(1_209_600)
    expect(toSeconds('1.5h')).toBe(5400)
    expect(toSeconds('0s')).toBe(0)
  })

  it('takes numbers as seconds and drops fractions', () => {
    expect(toSeconds(0)).toBe(0)
    expect(toSeconds(60)).toBe(60)
    expect(toSeconds(2.9)).toBe(2)
  })

  it('caps at 2^31 - 1 seconds, as a cookie Max-Age', () => {
    expect(MAX_DURATION_SECONDS).toBe(2_147_483_647)
    expect(toSeconds(2 ** 40)).toBe(MAX_DURATION_SECONDS)
    expect(toSeconds('100000w')).toBe(MAX_DURATION_SECONDS)
    expect(toSeconds(MAX_DURATION_SECONDS)).toBe(MAX_DURATION_SECONDS)
  })

  it('refuses negative, infinite and unparseable durations with INVALID_OPTION naming the option', () => {
    const bad: unknown[] = [
      -1,
      -0.5,
      '-1d',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '',
      '7',
      '7 d',
      ' 7d',
      '7D',
      '7y',
      'd',
      '1e3s',
      'soon',
      '7d ',
    ]
    for (const value of bad) {
      let thrown: unknown
      try {
        toSeconds(value as never, 'cookie maxAge')
      } catch (error) {
        thrown = error
      }
      expect(isSessionError(thrown, 'INVALID_OPTION'), String(value)).toBe(true)
      expect((thrown as Error).message).toContain('cookie maxAge')
    }
  })
})
