/**
 * `pnpm bench`: tessera against its peers, in one run.
 *
 *   pnpm bench                   the full run (about 12 minutes, 15 with --baseline; on a quiet machine)
 *   pnpm bench --quick           a short smoke run: every row, short windows
 *   pnpm bench --only <pattern>  only rows whose "<group>/<id> <name>" matches (a case-insensitive
 *                                regular expression; repeatable). Ratios need their reference rows.
 *   pnpm bench --profile         also write a CPU profile of each HTTP server to bench/profiles/
 *   pnpm bench --baseline <dir>  also run the signed, sealed, stored (memory, redis), Express and
 *                                Fastify tessera rows on the packages of another checkout (installed),
 *                                in the same rounds: each gets a `before` ratio (this ÷ that)
 *   pnpm bench --out <dir>       write RESULTS.md and results.json there instead of bench/
 *   pnpm bench --help            this text
 *
 * Groups: http (autocannon against one server child at a time), codec, memory, storage, bundle.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runBundleGroup } from './groups/bundle'
import { runCodecGroup } from './groups/codec'
import { runHttpGroup } from './groups/http'
import { runMemoryGroup, runStorageSizeRows } from './groups/memory'
import { runRoundTripGroup } from './groups/round-trips'
import { buildProblem } from './lib/builds'
import { installCleanup, killChildren } from './lib/children'
import { floorRows } from './lib/floor'
import { BENCH_DIR, REPO_ROOT } from './lib/paths'
import { pinLoadGenerator, unpinLoadGenerator } from './lib/pinning'
import { machineLine, printTargets, writeReports } from './lib/report'
import type { Row } from './lib/rows'
import { checkTargets } from './lib/targets'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
    baseline: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
})

if (values.help) {
  const usage = readFileSync(fileURLToPath(import.meta.url), 'utf8').match(/\/\*\*([\s\S]*?)\*\//)?.[1] ?? ''
  console.log(usage.replace(/^ \* ?/gm, '').trim())
  process.exit(0)
}

const quick = values.quick ?? false
const only = values.only ?? []
const outDir = resolve(values.out ?? BENCH_DIR)
const baselineDir = values.baseline === undefined ? undefined : resolve(values.baseline)
if (baselineDir !== undefined && !existsSync(join(baselineDir, 'packages', 'node', 'src', 'index.ts'))) {
  console.error(
    `--baseline: ${baselineDir} is not a checkout of this repository (no packages/node/src/index.ts)`,
  )
  process.exit(2)
}
for (const [root, build] of [
  [REPO_ROOT, 'pnpm build'],
  [baselineDir, `pnpm build in ${baselineDir}`],
] as const) {
  const problem = root === undefined ? undefined : buildProblem(root)
  if (problem?.kind === 'missing') {
    console.error(`The bench measures the built packages, and ${problem.text}: run \`${build}\` first.`)
    process.exit(2)
  }
  if (problem?.kind === 'older')
    console.warn(`Note: ${problem.text}; if the sources changed since, run \`${build}\` first.`)
}

/** How long each kind of row runs, by mode. */
const MODES = {
  full: {
    load: {
      connections: 10,
      warmupSeconds: 3,
      roundSeconds: 4,
      rounds: 5,
      latencyConnections: 50,
      latencySeconds: 3,
    },
    codec: { warmupMs: 500, timeMs: 1000, rounds: 3, maxOps: 5_000_000 },
    memory: [100_000, 1_000_000],
    storageSizes: { directory: 20_000, redis: 100_000 },
  },
  quick: {
    load: {
      connections: 10,
      warmupSeconds: 1,
      roundSeconds: 1,
      rounds: 3,
      latencyConnections: 50,
      latencySeconds: 1,
    },
    codec: { warmupMs: 100, timeMs: 300, rounds: 1, maxOps: 1_000_000 },
    memory: [100_000],
    storageSizes: { directory: 2_000, redis: 10_000 },
  },
} as const

const patterns = only.map((pattern) => {
  try {
    return new RegExp(pattern, 'i')
  } catch {
    return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')
  }
})

/** True when the row is selected by `--only` (every row when none is given). */
function selected(group: string, id: string, name = id): boolean {
  if (patterns.length === 0) return true
  const key = `${group}/${id} ${name}`
  return patterns.some((pattern) => pattern.test(key))
}

async function main(): Promise<void> {
  installCleanup()
  const startLoad = loadavg()
  const started = performance.now()
  const mode = quick ? MODES.quick : MODES.full
  const profileDir = values.profile ? join(BENCH_DIR, 'profiles') : undefined
  const rows: Row[] = []

  const section = async (title: string, run: () => Promise<Row[]>) => {
    console.log(`\n${title}`)
    rows.push(...(await run()))
  }

  console.log(`tessera bench, ${quick ? 'quick' : 'full'} run on ${machineLine(startLoad)}`)
  const pinning = pinLoadGenerator()
  console.log(`HTTP rows: ${pinning.description}`)
  try {
    await section('HTTP', () =>
      runHttpGroup(
        { ...mode.load, profileDir, pinning },
        { select: (id, name) => selected('http', id, name), baselineDir },
      ),
    )
  } finally {
    unpinLoadGenerator(pinning)
  }
  await section('Codec', () => runCodecGroup(mode.codec, (name) => selected('codec', name)))
  await section('Memory', async () => [
    ...(await runMemoryGroup(mode.memory, (name) => selected('memory', name))),
    ...(await runStorageSizeRows(mode.storageSizes, (name) => selected('memory', name))),
  ])
  await section('Storage round trips', () => runRoundTripGroup((name) => selected('storage', name)))
  await section('Bundle', () => runBundleGroup((name) => selected('bundle', name)))

  rows.push(...floorRows(rows))
  const targets = checkTargets(rows)
  printTargets(targets)
  mkdirSync(outDir, { recursive: true })
  const paths = { markdown: join(outDir, 'RESULTS.md'), json: join(outDir, 'results.json') }
  const seconds = (performance.now() - started) / 1000
  const { warmupSeconds, roundSeconds, rounds } = mode.load
  const { latencyConnections, latencySeconds } = mode.load
  const window = `${warmupSeconds} s warm-up, then ${rounds} rounds × ${roundSeconds} s per HTTP row (median round), then ${latencySeconds} s at ${latencyConnections} connections for p99`
  const modeText = quick ? `quick (${window}; a smoke run, not for quoting)` : `full (${window})`
  writeReports(
    paths,
    {
      date: new Date(),
      machine: machineLine(startLoad, loadavg()),
      mode: `${modeText}${baselineDir ? `; before/after against ${baselineDir}` : ''}`,
      only,
      seconds,
      placement: pinning.description,
    },
    rows,
    targets,
  )
  console.log(`\nWrote ${paths.markdown} and ${paths.json} (${Math.round(seconds)} s)`)
}

main().then(
  () => {
    killChildren()
    process.exit(0)
  },
  (error: unknown) => {
    killChildren()
    console.error(error)
    process.exit(1)
  },
)
