import type { MeasureOptions } from '../lib/measure'
import { measureRound, median, warmUp } from '../lib/measure'
import type { Row } from '../lib/rows'
import { roundRatio } from '../lib/rows'
import { serverCrypto } from '../lib/tessera'
import { engineCases, peerCases, primitiveCases, tesseraCases } from './codec-cases'

const GROUP = 'codec'
const METRIC = 'ops/s'

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
  const all = [...primitiveCases(), ...peers.cases, ...(await tesseraCases(crypto)), ...(await engineCases())]
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
      note: c.name.startsWith('tessera') ? `crypto: ${crypto.name}` : undefined,
      extra:
        values.length > 1
          ? { 'spread %': Math.round(((Math.max(...values) - Math.min(...values)) / value) * 100) }
          : undefined,
    }
  })
  return rows.map((row) => {
    const refs = cases.find((c) => c.name === row.name)?.refs ?? {}
    const ratio: Record<string, number> = {}
    for (const [key, refName] of Object.entries(refs)) {
      const reference = measured.get(refName)
      if (reference && row.value !== null) ratio[key] = roundRatio(row.value / reference)
    }
    return { ...row, ratio }
  })
}
