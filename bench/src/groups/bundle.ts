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

/**
 * Reads sizes from the browser package's own size script. It prints JSON (an object of name →
 * bytes, an array of `{ name, bytes }`, or either under a `sizes`/`entries`/`results` key) or lines
 * ending in a byte count; both are understood.
 */
export function parseSizes(stdout: string): { name: string; bytes: number; limit?: number }[] {
  const start = stdout.search(/[[{]/)
  if (start >= 0) {
    try {
      let parsed: unknown = JSON.parse(stdout.slice(start))
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const record = parsed as Record<string, unknown>
        parsed = record.sizes ?? record.entries ?? record.results ?? record
      }
      if (Array.isArray(parsed)) {
        return parsed
          .map((entry: any) => ({
            name: String(entry.name ?? entry.entry ?? entry.label ?? ''),
            bytes: Number(entry.bytes ?? entry.gzip ?? entry.size ?? entry.minGzip),
            limit: entry.limit === undefined ? undefined : Number(entry.limit ?? entry.budget),
          }))
          .filter((entry) => entry.name && Number.isFinite(entry.bytes))
      }
      return Object.entries(parsed as Record<string, unknown>)
        .filter(([, bytes]) => typeof bytes === 'number')
        .map(([name, bytes]) => ({ name, bytes: bytes as number }))
    } catch {
      // not JSON: read it line by line
    }
  }
  const sizes: { name: string; bytes: number }[] = []
  for (const line of stdout.split('\n')) {
    const match = line.match(/^\s*(.+?)[\s:]+([\d,]+)\s*(?:B|bytes)\b/)
    if (match) sizes.push({ name: match[1]!.trim(), bytes: Number(match[2]!.replaceAll(',', '')) })
  }
  return sizes
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
        note: limit ? `budget ${limit} B` : undefined,
      })
    }
  }
  rows.push(...(await referenceRows(select)))
  for (const row of rows) {
    const shown = row.value === null ? row.status : `${row.value.toLocaleString('en-US')} B`
    console.log(`  ${row.name.padEnd(44)} ${shown.padStart(12)}`)
  }
  return rows
}
