import type { MeasureOptions } from '../lib/measure'
import { measureRound, median, warmUp } from '../lib/measure'
import type { Row } from '../lib/rows'
import { roundRatio } from '../lib/rows'
import { serverCrypto } from '../lib/tessera'
import type { Case } from './codec-cases'
import { engineCases, peerCases, primitiveCases, tesseraCases } from './codec-cases'
import { hotPathCases } from './hot-path-cases'
import { STABLE_SPREAD } from './http'

const GROUP = 'codec'
const METRIC = 'ops/s'

/** (best − worst) / median of a row's rounds, in percent; 0 for a single round. */
function spreadOf(values: readonly number[]): number {
  if (values.length < 2) return 0
  return ((Math.max(...values) - Math.min(...values)) / median(values)) * 100
}

/** For a hot-path trick: the time it saves per call, from the medians of its row and its plain twin. */
function savedNote(c: Case, measured: ReadonlyMap<string, number>): string | undefined {
  const plain = c.refs?.without
  const withTrick = measured.get(c.name)
  const without = plain === undefined ? undefined : measured.get(plain)
  if (withTrick === undefined || without === undefined) return undefined
  const savedMicros = 1e6 / without - 1e6 / withTrick
  return `saves ${savedMicros.toFixed(2)} µs per call`
}

/**
 * The codec group: ops/s of tessera's encode and decode per protection and codec path, of the
 * primitives under them and of the peers' codecs. Every case is warmed up, then each round
 * measures every case in turn; a case's figure is its median round. `select` filters rows by
 * name (`--only`).
 */
export async function runCodecGroup(
  options: MeasureOptions,
  select: (name: string) => boolean,
): Promise<Row[]> {
  const crypto = await serverCrypto()
  const peers = await peerCases()
  const all = [
    ...primitiveCases(),
    ...peers.cases,
    ...(await tesseraCases(crypto)),
    ...(await engineCases()),
    ...(await hotPathCases(crypto)),
  ]
  const cases = all.filter((c) => select(c.name))
  const rounds = new Map<string, number[]>(cases.map((c) => [c.name, []]))
  try {
    for (const c of cases) await warmUp(c.run, options)
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) console.log(`  round ${round} of ${options.rounds}`)
      for (const c of cases) {
        const { opsPerSec } = await measureRound(c.run, options)
        rounds.get(c.name)!.push(opsPerSec)
        console.log(
          `  ${c.name.padEnd(58)} ${Math.round(opsPerSec).toLocaleString('en-US').padStart(12)} ops/s`,
        )
      }
    }
  } finally {
    await peers.close()
  }
  const measured = new Map(cases.map((c) => [c.name, median(rounds.get(c.name)!)]))
  const rows: Row[] = cases.map((c) => {
    const values = rounds.get(c.name)!
    const value = measured.get(c.name)!
    return {
      group: GROUP,
      name: c.name,
      metric: METRIC,
      value: Math.round(value),
      ratio: {},
      status: 'ok',
      note: c.name.startsWith('tessera') ? `crypto: ${crypto.name}` : savedNote(c, measured),
      extra:
        values.length > 1
          ? { 'spread %': Math.round(((Math.max(...values) - Math.min(...values)) / value) * 100) }
          : undefined,
    }
  })
  return rows.map((row) => {
    const refs = cases.find((c) => c.name === row.name)?.refs ?? {}
    const ratio: Record<string, number> = {}
    const unstable: string[] = []
    for (const [key, refName] of Object.entries(refs)) {
      const reference = measured.get(refName)
      if (!reference || row.value === null) continue
      ratio[key] = roundRatio(row.value / reference)
      if ([row.name, refName].some((name) => spreadOf(rounds.get(name) ?? []) > STABLE_SPREAD))
        unstable.push(key)
    }
    return { ...row, ratio, unstable }
  })
}
