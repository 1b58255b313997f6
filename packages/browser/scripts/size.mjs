#!/usr/bin/env node
// Bundle budgets of @tessera/browser (BRIEF.md, "Measured, not claimed"). Bundles small apps with
// esbuild the way a browser app ships (minified ESM, code splitting, browser platform), then measures
// min+gzip (level 9, 1 KB = 1000 B) per file:
//   (a) createSessionClient + one client-visible session with jsonCodec, read once: initial chunks <= 2.5 KB
//   (b) the same with the default (superjson) codec: all chunks a browser with WebCrypto Ed25519 can
//       load, lazy ones included, <= 7 KB
//   (c) tweetnacl in no initial chunk, in either app
// "Initial" is the entry chunk and every chunk it imports statically. tweetnacl is the fallback for
// browsers without WebCrypto Ed25519; its chunk is reported in its own column. Rows (a0) and (b0)
// bundle the same session without the client, to show how much of each figure is the client's.
// Exits 1 when a budget is exceeded.
// Usage: node scripts/size.mjs [--verbose]   (lists every chunk with its largest inputs)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = join(root, 'node_modules', '.cache', 'tessera-size')
const verbose = process.argv.includes('--verbose')
const KB = 1000

// Any valid base64url Ed25519 public key: the apps are bundled, never run.
const PUBLIC_KEY = 'xW811CliYa-iDQsfGAbJL9IZVTjcwFyr7VxrSH3OA7k'
const define = (json) =>
  `const Cart = defineSession('cart', { visibility: 'client',${json ? ' codec: jsonCodec,' : ''} publicKeys: { '0': '${PUBLIC_KEY}' } })`
const app = (json) => `
import { createSessionClient } from '@tessera/browser'
import { defineSession${json ? ', jsonCodec' : ''} } from '@tessera/core'
${define(json)}
const client = createSessionClient({ sessions: [Cart] })
client.get(Cart).then((cart) => { document.body.textContent = JSON.stringify(cart) })
`
// The same apps without the client: what defining the session costs on its own (core's share).
const alone = (json) => `
import { defineSession${json ? ', jsonCodec' : ''} } from '@tessera/core'
${define(json)}
document.body.textContent = Cart.name
`

const scenarios = [
  { id: 'a0', label: 'json codec, the session alone', source: alone(true), budget: {} },
  { id: 'a', label: 'json codec, read one session', source: app(true), budget: { initial: 2.5 * KB } },
  { id: 'b0', label: 'superjson codec, the session alone', source: alone(false), budget: {} },
  { id: 'b', label: 'superjson codec, read one session', source: app(false), budget: { total: 7 * KB } },
]

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length
const fmt = (bytes) => `${(bytes / KB).toFixed(2)} KB`

async function measure(scenario) {
  const dir = join(work, scenario.id)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, 'app.js')
  writeFileSync(entry, scenario.source)
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    conditions: ['@tessera/source'],
    alias: { '@tessera/browser': join(root, 'src/index.ts') },
    outdir: join(dir, 'out'),
    metafile: true,
    write: false,
    logLevel: 'warning',
  })
  const files = new Map(result.outputFiles.map((file) => [relative(root, file.path), file.contents]))
  const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'))
  const byPath = new Map(outputs)
  const chunks = outputs.map(([path, meta]) => {
    const inputs = Object.entries(meta.inputs).sort((x, y) => y[1].bytesInOutput - x[1].bytesInOutput)
    const contents = files.get(path) ?? files.get(relative(root, join(root, path)))
    return {
      path,
      min: contents.length,
      gz: gzip(contents),
      tweetnacl: inputs.some(([input]) => /[\\/]node_modules[\\/](?:.*[\\/])?tweetnacl[\\/]/.test(input)),
      superjson: inputs.some(([input]) => /[\\/]node_modules[\\/](?:.*[\\/])?superjson[\\/]/.test(input)),
      inputs,
    }
  })
  const entryPath = outputs.find(([, meta]) => meta.entryPoint)?.[0]
  const initial = new Set()
  const visit = (path) => {
    if (initial.has(path)) return
    initial.add(path)
    for (const edge of byPath.get(path)?.imports ?? []) if (edge.kind === 'import-statement') visit(edge.path)
  }
  visit(entryPath)
  const sum = (list, key) => list.reduce((total, chunk) => total + chunk[key], 0)
  const initialChunks = chunks.filter((chunk) => initial.has(chunk.path))
  const loadable = chunks.filter((chunk) => !chunk.tweetnacl)
  const fallback = chunks.filter((chunk) => chunk.tweetnacl)
  return {
    scenario,
    chunks,
    initial: { count: initialChunks.length, min: sum(initialChunks, 'min'), gz: sum(initialChunks, 'gz') },
    total: { count: loadable.length, min: sum(loadable, 'min'), gz: sum(loadable, 'gz') },
    superjson: sum(
      chunks.filter((chunk) => chunk.superjson),
      'gz',
    ),
    fallback: sum(fallback, 'gz'),
    naclInitial: initialChunks.some((chunk) => chunk.tweetnacl),
    initialPaths: initial,
  }
}

const results = []
for (const scenario of scenarios) results.push(await measure(scenario))

const failures = []
const rows = [
  [
    'app',
    'initial (min+gz)',
    'all but tweetnacl (min+gz)',
    'of which superjson',
    'tweetnacl fallback',
    'budget',
    'ok',
  ],
]
for (const r of results) {
  const { budget } = r.scenario
  const checks = []
  if (budget.initial !== undefined)
    checks.push([`initial <= ${fmt(budget.initial)}`, r.initial.gz <= budget.initial])
  if (budget.total !== undefined) checks.push([`all <= ${fmt(budget.total)}`, r.total.gz <= budget.total])
  checks.push(['tweetnacl not initial', !r.naclInitial])
  for (const [label, ok] of checks) if (!ok) failures.push(`(${r.scenario.id}) ${label}`)
  rows.push([
    `(${r.scenario.id}) ${r.scenario.label}`,
    `${fmt(r.initial.gz)} in ${r.initial.count} file(s)`,
    `${fmt(r.total.gz)} in ${r.total.count} file(s)`,
    fmt(r.superjson),
    `${fmt(r.fallback)} (lazy)`,
    checks.map(([label]) => label).join(', '),
    checks.every(([, ok]) => ok) ? 'yes' : 'NO',
  ])
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, j) => cell.padEnd(widths[j])).join('  '))
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
}

const byId = new Map(results.map((r) => [r.scenario.id, r]))
const share = (id, key) => fmt(byId.get(id)[key].gz - byId.get(`${id}0`)[key].gz)
console.log(
  `\nthe client's own share (app minus the session alone): (a) initial +${share('a', 'initial')}, ` +
    `all +${share('a', 'total')}; (b) initial +${share('b', 'initial')}, all +${share('b', 'total')}`,
)

if (verbose) {
  for (const r of results) {
    console.log(`\n(${r.scenario.id}) chunks`)
    for (const chunk of r.chunks) {
      const tag = r.initialPaths.has(chunk.path) ? 'initial' : 'lazy'
      console.log(`  ${tag.padEnd(7)} ${fmt(chunk.gz).padStart(9)}  ${chunk.path}`)
      for (const [input, meta] of chunk.inputs.slice(0, 12)) {
        console.log(`            ${String(meta.bytesInOutput).padStart(6)} B  ${input}`)
      }
    }
  }
}

rmSync(work, { recursive: true, force: true })
if (failures.length > 0) {
  console.error(`\nover budget: ${failures.join('; ')}`)
  process.exit(1)
}
console.log('\nall budgets met')
