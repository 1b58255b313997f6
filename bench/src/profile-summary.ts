/**
 * Summarises a CPU profile `pnpm bench --profile` writes (bench/profiles/<row id>.cpuprofile, the
 * server's main thread during warm-up and load): the
 * functions with the most self time, and the share of time per file, so a hot spot in tessera's
 * code can be named with a number.
 *
 * Usage: node --import tsx src/profile-summary.ts <file.cpuprofile | folder of them> [top=25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { REPO_ROOT } from './lib/paths'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const [file, topText = '25'] = process.argv.slice(2)
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]')
  process.exit(2)
}
/** Given a folder, the largest profile in it. */
function pick(path: string): string {
  if (!statSync(path).isDirectory()) return path
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name))
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]
  if (!largest) throw new Error(`no .cpuprofile in ${path}`)
  return largest
}

const chosen = pick(file)
const profile = JSON.parse(readFileSync(chosen, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const selfTime = new Map<number, number>()
for (const [i, id] of profile.samples.entries())
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))

const where = (url: string) => {
  if (url === '') return '(native)'
  const path = url.replace(/^file:\/\//, '')
  const short = path.includes('/node_modules/')
    ? `npm:${path.split('/node_modules/').at(-1)}`
    : relative(REPO_ROOT, path)
  return short.startsWith('..') ? path : short
}

const functions = new Map<string, number>()
const files = new Map<string, number>()
let total = 0
let idle = 0
for (const [id, micros] of selfTime) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame
  total += micros
  if (functionName === '(idle)') {
    idle += micros
    continue
  }
  const key = `${functionName || '(anonymous)'}  ${where(url)}${url ? `:${lineNumber + 1}` : ''}`
  functions.set(key, (functions.get(key) ?? 0) + micros)
  const fileKey = where(url).replace(/^npm:((?:@[^/]+\/)?[^/]+).*/, 'npm:$1')
  files.set(fileKey, (files.get(fileKey) ?? 0) + micros)
}

const busy = total - idle
const pct = (micros: number) => `${((micros / busy) * 100).toFixed(1).padStart(5)}%`
console.log(
  `${chosen}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)\n`,
)
console.log('self time by function')
for (const [key, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(topText))) {
  console.log(`  ${pct(micros)}  ${key}`)
}
console.log('\nself time by file')
for (const [key, micros] of [...files].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`  ${pct(micros)}  ${key}`)
}
