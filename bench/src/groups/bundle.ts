import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { REPO_ROOT } from '../lib/paths'
import type { Row } from '../lib/rows'
import { unmeasured } from '../lib/rows'

const GROUP = 'bundle'
const METRIC = 'bytes min+gzip'
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

/** The dependencies' sizes, measured the same way, for scale (they resolve from the browser package). */
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

/** One size size-limit reported (`size-limit --json`). */
export interface ReportedSize {
  readonly name: string
  readonly size: number
  readonly sizeLimit?: number | undefined
}

/** The sizes of `size-limit --json`'s output; an empty list when it printed none. */
export function parseSizes(stdout: string): ReportedSize[] {
  const start = stdout.indexOf('[')
  if (start < 0) return []
  try {
    const parsed = JSON.parse(stdout.slice(start)) as unknown
    return Array.isArray(parsed)
      ? parsed.filter(
          (entry): entry is ReportedSize => typeof entry?.name === 'string' && Number.isFinite(entry?.size),
        )
      : []
  } catch {
    return []
  }
}

/**
 * Browser bundle sizes (min+gzip): the pages of the browser package's size budgets as size-limit
 * measures them (`pnpm --filter @tessera/browser size`, on the packages' builds), and the
 * dependencies' sizes for scale.
 */
export async function runBundleGroup(select: (name: string) => boolean): Promise<Row[]> {
  const rows: Row[] = []
  const run = spawnSync('npx', ['size-limit', '--json'], {
    cwd: BROWSER_DIR,
    encoding: 'utf8',
    timeout: 120_000,
  })
  const sizes = parseSizes(run.stdout ?? '')
  if (sizes.length === 0) {
    const reason = `size-limit exited ${run.status ?? run.signal} and printed no sizes (build the packages first)`
    rows.push(unmeasured(GROUP, '@tessera/browser', METRIC, 'failed', reason))
  }
  for (const { name, size, sizeLimit } of sizes) {
    const label = `@tessera/browser: ${name}`
    if (!select(label)) continue
    rows.push({
      group: GROUP,
      name: label,
      metric: METRIC,
      value: size,
      ratio: sizeLimit ? { budget: Math.round((size / sizeLimit) * 100) / 100 } : {},
      status: 'ok',
      note: `size-limit${sizeLimit ? `; ceiling ${sizeLimit.toLocaleString('en-US')} B` : ''}`,
    })
  }
  rows.push(...(await referenceRows(select)))
  for (const row of rows) {
    const shown = row.value === null ? row.status : `${row.value.toLocaleString('en-US')} B`
    console.log(`  ${row.name.padEnd(58)} ${shown.padStart(12)}`)
  }
  return rows
}
