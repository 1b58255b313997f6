import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { REPO_ROOT } from '../lib/paths'
import type { Row } from '../lib/rows'
import { unmeasured } from '../lib/rows'
import { hasFile } from '../lib/tessera'

const GROUP = 'bundle'
const METRIC = 'bytes min+gzip'
const SIZE_SCRIPT = 'packages/browser/scripts/size.mjs'
const BROWSER_DIR = join(REPO_ROOT, 'packages', 'browser')

/** min+gzip bytes of a one-line entry, bundled for the browser with esbuild. */
async function minGzip(contents: string, resolveDir: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}

/** The dependencies' sizes the brief quotes, measured the same way, for scale (they resolve from the browser package). */
async function referenceRows(select: (name: string) => boolean): Promise<Row[]> {
  const entries: [string, string][] = [
    ['js-cookie (reference)', "export { default } from 'js-cookie'"],
    ['superjson (reference)', "export { default } from 'superjson'"],
    ['tweetnacl (reference)', "export { default } from 'tweetnacl'"],
  ]
  const rows: Row[] = []
  for (const [name, contents] of entries) {
    if (!select(name)) continue
    try {
      const bytes = await minGzip(contents, BROWSER_DIR)
      rows.push({ group: GROUP, name, metric: METRIC, value: bytes, ratio: {}, status: 'ok' })
    } catch (error) {
      rows.push(unmeasured(GROUP, name, METRIC, 'failed', (error as Error).message.split('\n', 1)[0]!))
    }
  }
  return rows
}

/** One size the browser package's script reported, with its budget when it states one. */
export interface ReportedSize {
  readonly name: string
  readonly bytes: number
  readonly limit?: number | undefined
}

/** "6.88 KB" → 6880, "736 B" → 736 (the script counts 1 KB as 1000 B); null when not a size. */
function toBytes(text: string): number | null {
  const match = text.match(/^([\d.,]+)\s*(KB|kB|B)\b/)
  if (!match) return null
  const amount = Number(match[1]!.replaceAll(',', ''))
  return Math.round(match[2] === 'B' ? amount : amount * 1000)
}

/** Sizes from JSON output: `{ name: bytes }`, `[{ name, bytes, limit }]`, or either under `sizes`. */
function parseJson(text: string): ReportedSize[] | null {
  const start = text.search(/[[{]/)
  if (start < 0) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(text.slice(start))
  } catch {
    return null
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>
    parsed = record.sizes ?? record.results ?? record
  }
  if (Array.isArray(parsed)) {
    return parsed
      .map((entry: any) => ({
        name: String(entry?.name ?? ''),
        bytes: Number(entry?.bytes),
        limit: entry?.limit === undefined ? undefined : Number(entry.limit),
      }))
      .filter((entry) => entry.name !== '' && Number.isFinite(entry.bytes))
  }
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, bytes]) => typeof bytes === 'number')
    .map(([name, bytes]) => ({ name, bytes: bytes as number }))
}

/**
 * Sizes from the fixed-width table the script prints: a header line, a line of dashes marking the
 * columns, then one line per app. Every cell holding a size becomes a row named
 * "<app>: <column>"; a `budget` cell such as "initial <= 2.50 KB" sets the limit of the column
 * whose header starts with that word.
 */
function parseTable(text: string): ReportedSize[] {
  const lines = text.split('\n')
  const rule = lines.findIndex((line) => /^-+( +-+)+\s*$/.test(line))
  if (rule < 1) return []
  const spans: [number, number][] = []
  for (const match of lines[rule]!.matchAll(/-+/g)) spans.push([match.index, match.index + match[0].length])
  const cut = (line: string) =>
    spans.map(([from], i) => line.slice(from, i + 1 < spans.length ? spans[i + 1]![0] : undefined).trim())
  const header = cut(lines[rule - 1]!)
  const sizes: ReportedSize[] = []
  for (const line of lines.slice(rule + 1)) {
    if (line.trim() === '') break
    const cells = cut(line)
    const limits = new Map<string, number>()
    for (const part of (cells[header.indexOf('budget')] ?? '').split(',')) {
      const match = part.trim().match(/^(\S+)\s*<=\s*(.+)$/)
      const bytes = match && toBytes(match[2]!)
      if (match && bytes !== null) limits.set(match[1]!, bytes)
    }
    cells.forEach((cell, i) => {
      const bytes = i === 0 ? null : toBytes(cell)
      if (bytes === null) return
      const column = header[i]!
      const limit = [...limits].find(([word]) => column.startsWith(word))?.[1]
      sizes.push({ name: `${cells[0]}: ${column}`, bytes, limit })
    })
  }
  return sizes
}

/** Reads the browser size script's output, JSON or its printed table. */
export function parseSizes(stdout: string): ReportedSize[] {
  return parseJson(stdout) ?? parseTable(stdout)
}

/**
 * Browser bundle sizes (min+gzip): tessera's documented entry points as the browser package's size
 * script measures them ("not yet" until it exists), and the dependencies' sizes for scale.
 */
export async function runBundleGroup(select: (name: string) => boolean): Promise<Row[]> {
  const rows: Row[] = []
  if (!hasFile(SIZE_SCRIPT)) {
    if (select('@tessera/browser'))
      rows.push(unmeasured(GROUP, '@tessera/browser', METRIC, 'pending', 'not yet'))
  } else {
    // --json gives each size with the brief's target as its limit (the table shows CI's ceilings).
    const run = spawnSync(process.execPath, [join(REPO_ROOT, SIZE_SCRIPT), '--json'], {
      cwd: BROWSER_DIR,
      encoding: 'utf8',
      timeout: 120_000,
    })
    const sizes = parseSizes(run.stdout ?? '')
    if (sizes.length === 0) {
      const reason = `${SIZE_SCRIPT} exited ${run.status ?? run.signal} and printed no sizes`
      rows.push(unmeasured(GROUP, '@tessera/browser', METRIC, 'failed', reason))
    }
    for (const { name, bytes, limit } of sizes) {
      const label = name.startsWith('@tessera') ? name : `@tessera/browser ${name}`
      if (!select(label)) continue
      rows.push({
        group: GROUP,
        name: label,
        metric: METRIC,
        value: bytes,
        ratio: limit ? { budget: Math.round((bytes / limit) * 100) / 100 } : {},
        status: 'ok',
        note: `from ${SIZE_SCRIPT}${limit ? `; budget ${limit.toLocaleString('en-US')} B` : ''}`,
      })
    }
  }
  rows.push(...(await referenceRows(select)))
  for (const row of rows) {
    const shown = row.value === null ? row.status : `${row.value.toLocaleString('en-US')} B`
    console.log(`  ${row.name.padEnd(58)} ${shown.padStart(12)}`)
  }
  return rows
}
