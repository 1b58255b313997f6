import { describe, expect, it } from 'vitest'
import type { Row } from '../src/lib/rows'
import { checkTargets } from '../src/lib/targets'

const http = (name: string, ratio: Record<string, number>): Row => ({
  group: 'http-capacity',
  name,
  metric: 'req/s of server CPU',
  value: 1000,
  ratio,
  status: 'ok',
})

describe('checkTargets', () => {
  it('passes, misses with the shortfall, and reads pending when the row did not run', () => {
    const outcomes = checkTargets([
      http('node:http + tessera signed', { 'fastify-secure-session': 1.2, bare: 0.45 }),
      { ...http('node:http + tessera sealed', {}), status: 'pending', value: null },
    ])
    const byLabel = new Map(outcomes.map((outcome) => [outcome.label, outcome]))
    expect(byLabel.get('signed read-modify-write vs fastify + secure-session')).toMatchObject({
      result: 'miss',
      got: 1.2,
      by: '-14% short of 1.40',
    })
    expect(byLabel.get('signed read-modify-write vs bare node:http')).toMatchObject({
      result: 'miss',
      got: 0.45,
      by: '-36% short of 0.70',
    })
    expect(byLabel.get('sealed read-modify-write vs fastify + secure-session')?.result).toBe('pending')
  })

  it("reads issue #16's targets and calls a ratio from a row that spread too much unstable, not pass or miss", () => {
    const outcomes = checkTargets([
      http('node:http + tessera signed', { 'fastify-secure-session': 1.45, bare: 0.72 }),
      { ...http('fastify + tessera signed', { framework: 0.5 }), unstable: ['framework'] },
      { ...http('express + tessera signed', { framework: 0.95 }), unstable: ['bare'] },
      http('node:http + tessera stored (redis)', { bare: 0.31 }),
      http('node:http + tessera sealed', { 'fastify-secure-session': 1.05 }),
    ])
    const byLabel = new Map(outcomes.map((outcome) => [outcome.label, outcome.result]))
    expect(byLabel.get('signed read-modify-write vs fastify + secure-session')).toBe('pass')
    expect(byLabel.get('signed read-modify-write vs bare node:http')).toBe('pass')
    expect(byLabel.get('Fastify adapter vs Fastify alone')).toBe('unstable')
    expect(byLabel.get('Express adapter vs Express alone')).toBe('pass')
    expect(byLabel.get('stored in Redis vs bare node:http')).toBe('pass')
    expect(byLabel.get('sealed read-modify-write vs fastify + secure-session')).toBe('miss')
  })

  it('checks round trips by value and bundle rows by their budget ratio', () => {
    const storage = (scenario: string, value: number): Row => ({
      group: 'storage',
      name: `stored (memory), ${scenario}`,
      metric: 'round trips/request',
      value,
      ratio: {},
      status: 'ok',
    })
    const bundle: Row = {
      group: 'bundle',
      name: 'app: initial',
      metric: 'bytes',
      value: 3000,
      ratio: { budget: 1.2 },
      status: 'ok',
    }
    const outcomes = checkTargets([storage('read-only', 1), storage('untouched', 1), bundle])
    const byLabel = new Map(outcomes.map((outcome) => [outcome.label, outcome]))
    expect(byLabel.get('stored (memory): round trips to read')?.result).toBe('pass')
    expect(byLabel.get('stored (memory): round trips when untouched')).toMatchObject({
      result: 'miss',
      by: '1 over 0',
    })
    expect(byLabel.get('bundle within budget: app: initial')).toMatchObject({
      result: 'miss',
      by: '20% over',
    })
  })
})
