/**
 * What every hardening property checks after each input: nothing reached a prototype, nothing took
 * long enough to be a hang, and a throw (when one is allowed at all) is the documented kind.
 */
import { expect } from 'vitest'
import { isSessionError } from '../../../src'

/** The built-in prototypes an input could poison, and their own keys when the suite started. */
const WATCHED = [Object.prototype, Array.prototype, Function.prototype, String.prototype] as const
const baseline = WATCHED.map((proto) => new Set(Reflect.ownKeys(proto)))

/**
 * Throws when a watched prototype gained a key (removing it first, so one failure does not spoil the
 * rest of the run) or when `{}` now shows a property it should not have.
 */
export function assertUnpolluted(): void {
  WATCHED.forEach((proto, i) => {
    const extra = Reflect.ownKeys(proto).filter((key) => !baseline[i]!.has(key))
    if (extra.length > 0) {
      for (const key of extra) delete (proto as unknown as Record<PropertyKey, unknown>)[key]
      throw new Error(`prototype polluted with ${extra.map(String).join(', ')}`)
    }
  })
  const probe = {} as Record<string, unknown>
  for (const key of ['polluted', 'isAdmin', 'json', 'meta', 'x']) {
    if (key in probe) throw new Error(`{} has a "${key}" property`)
  }
}

/** A merge as careless application code writes it: recursive, with no key filter. */
export function naiveMerge(target: Record<string, any>, source: unknown, depth = 0): void {
  if (typeof source !== 'object' || source === null || depth > 32) return
  for (const key of Object.keys(source)) {
    const value = (source as Record<string, unknown>)[key]
    if (typeof value === 'object' && value !== null) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {}
      naiveMerge(target[key], value, depth + 1)
    } else {
      target[key] = value
    }
  }
}

/** Milliseconds over which a single call counts as hung. Generous: only a hang (or a quadratic blow-up) breaks it. */
export const HANG_MS = 1000
/**
 * The same bound for inputs of up to 1 MB (or 100,000 levels deep), which take ~100 ms on an idle
 * machine and over 3 s under mutation testing on a loaded one. A quadratic scan of 1 MB would take
 * hours, so the bound can be wide and still only a hang or a blow-up breaks it.
 */
export const HUGE_HANG_MS = 15_000

/** Keeps per-decoder figures: calls made, outcomes, the slowest call. */
export class Tally {
  readonly rows: Record<string, { calls: number; slowestMs: number; outcomes: Record<string, number> }> = {}

  /** Runs `call` (sync or async), timing it, and records `outcome(result)` or the error's kind. */
  async time<T>(
    decoder: string,
    call: () => T | PromiseLike<T>,
    outcome: (result: T) => string,
    bound = HANG_MS,
  ): Promise<T> {
    const started = performance.now()
    let settled: { ok: true; value: T } | { ok: false; error: unknown }
    try {
      settled = { ok: true, value: await call() }
    } catch (error) {
      settled = { ok: false, error }
    }
    const ms = performance.now() - started
    this.rows[decoder] ??= { calls: 0, slowestMs: 0, outcomes: {} }
    const row = this.rows[decoder]
    const label = settled.ok
      ? outcome(settled.value)
      : isSessionError(settled.error)
        ? `SessionError ${settled.error.code}`
        : `throws ${(settled.error as Error)?.name}`
    row.calls++
    row.slowestMs = Math.max(row.slowestMs, ms)
    row.outcomes[label] = (row.outcomes[label] ?? 0) + 1
    if (ms > bound) throw new Error(`${decoder}: one call took ${Math.round(ms)} ms (bound ${bound} ms)`)
    if (!settled.ok) throw settled.error
    return settled.value
  }

  /** Asserts that `decoder` ran at least `min` times, and prints nothing. */
  expectCalls(decoder: string, min: number): void {
    expect(this.rows[decoder]?.calls ?? 0).toBeGreaterThanOrEqual(min)
  }

  /** A printable summary, slowest calls rounded to 0.1 ms. */
  summary(): string {
    const rows = Object.entries(this.rows).map(([decoder, row]) => ({
      decoder,
      calls: row.calls,
      slowestMs: Math.round(row.slowestMs * 10) / 10,
      outcomes: row.outcomes,
    }))
    return JSON.stringify(rows, null, 1)
  }

  get totalCalls(): number {
    return Object.values(this.rows).reduce((sum, row) => sum + row.calls, 0)
  }
}
