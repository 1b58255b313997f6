/** Bounds of one microbenchmark row: it stops at whichever limit comes first. */
export interface MeasureOptions {
  /** Milliseconds of warm-up (not measured). */
  readonly warmupMs: number
  /** Milliseconds measured per round. */
  readonly timeMs: number
  /** Rounds; each round measures every row once, in turn, and a row's figure is its median round. */
  readonly rounds: number
  /** Most operations per round, whatever the time. */
  readonly maxOps: number
}

/** What one row measured. */
export interface Throughput {
  readonly opsPerSec: number
  readonly ops: number
  readonly ms: number
}

const BATCH = 32

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/** Runs `fn` for at most `timeMs` and `maxOps` operations; awaits it only when it returns a promise. */
async function loop(fn: () => unknown, timeMs: number, maxOps: number): Promise<Throughput> {
  const start = performance.now()
  const deadline = start + timeMs
  let ops = 0
  const first = fn()
  ops++
  if (isThenable(first)) {
    await first
    while (ops < maxOps && performance.now() < deadline) {
      for (let i = 0; i < BATCH && ops < maxOps; i++, ops++) await fn()
    }
  } else {
    while (ops < maxOps && performance.now() < deadline) {
      for (let i = 0; i < BATCH && ops < maxOps; i++, ops++) fn()
    }
  }
  const ms = performance.now() - start
  return { opsPerSec: (ops * 1000) / ms, ops, ms }
}

/** Runs `fn` for the warm-up time (bounded by `maxOps` too); nothing is recorded. */
export async function warmUp(fn: () => unknown, options: MeasureOptions): Promise<void> {
  await loop(fn, options.warmupMs, options.maxOps)
}

/**
 * Operations per second of `fn` over one round. Every loop is bounded by time and by count, so a
 * slow primitive (tweetnacl's Ed25519) costs its time budget and no more.
 *
 * @example const { opsPerSec } = await measureRound(() => JSON.stringify(cart), { warmupMs: 200, timeMs: 1000, rounds: 1, maxOps: 1e7 })
 */
export function measureRound(fn: () => unknown, options: MeasureOptions): Promise<Throughput> {
  return loop(fn, options.timeMs, options.maxOps)
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = (sorted.length - 1) / 2
  return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2
}
