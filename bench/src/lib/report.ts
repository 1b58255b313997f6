import { writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { ResultRow, Row } from './rows'
import type { TargetOutcome } from './targets'
import { describeNeed } from './targets'

const loadText = (load: readonly number[]) => load.map((n) => n.toFixed(2)).join(' / ')

/** The machine line: CPU, cores, Node, platform and the load when the run began (and ended). */
export function machineLine(startLoad: readonly number[] = loadavg(), endLoad?: readonly number[]): string {
  const cores = cpus()
  const model = cores[0]?.model.trim() ?? 'unknown CPU'
  const end = endLoad ? `, at end ${loadText(endLoad)}` : ''
  return `${model}, ${cores.length} cores, Node ${process.version}, ${process.platform}-${process.arch}, load average (1 / 5 / 15 min) at start ${loadText(startLoad)}${end}`
}

/** A time as RESULTS.md prints it: `2026-12-06 11:34`, UTC. */
const minute = (date: Date): string => date.toISOString().replace('T', ' ').slice(0, 16)

/** What the run was: its mode and bounds, for the header of RESULTS.md. */
export interface RunInfo {
  /** When the run ended (it began `seconds` earlier). */
  readonly date: Date
  readonly machine: string
  readonly mode: string
  readonly only: readonly string[]
  readonly seconds: number
  /** Where the HTTP servers and the load generator ran (pinned or not). */
  readonly placement?: string | undefined
}

const TITLES: Record<string, string> = {
  http: 'HTTP: requests per second (10 connections; read-modify-write unless the name says read-only)',
  'http-capacity':
    "HTTP: capacity, requests per second of the server's own CPU time (the same rounds; 1e6 ÷ server CPU µs per request)",
  'http-latency': 'HTTP: p99 latency (10 connections, the median round)',
  'http-latency-busy': 'HTTP: p99 latency (50 connections, the latency pass)',
  codec: 'Codec: operations per second',
  bundle: 'Browser bundle sizes (min+gzip)',
  memory: 'Server-side memory per session',
  storage: 'Storage round trips per request (server-stored session)',
  floor: 'Floors: the best ratio reachable with only the session work added (see README)',
}

const number = (value: number) =>
  Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 2 })

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

/** A ratio as RESULTS.md prints it; one whose rows spread too much is not to be quoted. */
function ratioCell(row: Row, key: string): string {
  const value = row.ratio[key]
  if (value === undefined) return ''
  return row.unstable?.includes(key) ? `${value.toFixed(2)}× (unstable, rerun)` : `${value.toFixed(2)}×`
}

/** One markdown table for a group: value, extra columns, ratio columns, note. */
function table(rows: readonly Row[]): string {
  const extras = [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))].filter(
    (key) => key !== 'ops',
  )
  const ratios = [...new Set(rows.flatMap((row) => Object.keys(row.ratio)))]
  const metric = rows[0]!.metric
  const header = ['', metric, ...extras, ...ratios.map((key) => `vs ${key}`), 'note']
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 || i === header.length - 1 ? '---' : '---:')).join(' | ')} |`,
  ]
  for (const row of rows) {
    const value = row.value === null ? `**${row.status}**` : number(row.value)
    const extra = extras.map((key) => {
      const v = row.extra?.[key]
      return v === undefined ? '' : typeof v === 'number' ? number(v) : v
    })
    const ratio = ratios.map((key) => ratioCell(row, key))
    lines.push(`| ${[row.name, value, ...extra, ...ratio, row.note ?? ''].map(cell).join(' | ')} |`)
  }
  return lines.join('\n')
}

function targetTable(outcomes: readonly TargetOutcome[]): string {
  const lines = ['| target | needs | got | result |', '| --- | ---: | ---: | --- |']
  for (const o of outcomes) {
    const got = o.got === null ? '' : o.key === 'value' ? number(o.got) : `${o.got.toFixed(2)}×`
    const result =
      o.result === 'miss' ? `**miss** (${o.by})` : o.result === 'unstable' ? 'unstable (rerun)' : o.result
    lines.push(`| ${cell(o.label)} | ${describeNeed(o)} | ${got} | ${result} |`)
  }
  return lines.join('\n')
}

/** RESULTS.md: the machine line, the targets, then a table per group. */
export function renderMarkdown(
  info: RunInfo,
  rows: readonly Row[],
  targets: readonly TargetOutcome[],
): string {
  const groups = [...new Set(rows.map((row) => row.group))]
  const parts = [
    '# tessera benchmark results',
    '',
    `Machine: ${info.machine}.`,
    ...(info.placement ? [`HTTP rows: ${info.placement}.`] : []),
    `Date: ${minute(new Date(info.date.getTime() - info.seconds * 1000))} to ${minute(info.date)} UTC. Mode: ${info.mode}${info.only.length ? `, only \`${info.only.join('`, `')}\`` : ''}. The run took ${Math.round(info.seconds)} s.`,
    '',
    'The load generator (autocannon) and each server share this machine, so absolute figures depend on it;',
    'the ratios, measured in the same run, are what to compare. A ratio marked "unstable, rerun" had a row',
    'whose rounds spread by more than 15% (`spread %`): not to be quoted. How each row is built: [README](./README.md).',
    '',
    '## Targets',
    '',
    targetTable(targets),
  ]
  for (const group of groups) {
    parts.push('', `## ${TITLES[group] ?? group}`, '', table(rows.filter((row) => row.group === group)))
  }
  return `${parts.join('\n')}\n`
}

/** results.json: `{ rows: [{ group, name, metric, value, ratio }] }`, nothing else. */
export function renderJson(rows: readonly Row[]): string {
  const out: ResultRow[] = rows.map(({ group, name, metric, value, ratio }) => ({
    group,
    name,
    metric,
    value,
    ratio,
  }))
  return `${JSON.stringify({ rows: out }, null, 2)}\n`
}

/** Writes both files. */
export function writeReports(
  paths: { markdown: string; json: string },
  info: RunInfo,
  rows: readonly Row[],
  targets: readonly TargetOutcome[],
): void {
  writeFileSync(paths.markdown, renderMarkdown(info, rows, targets))
  writeFileSync(paths.json, renderJson(rows))
}

/** The targets on the console, one line each. */
export function printTargets(outcomes: readonly TargetOutcome[]): void {
  console.log('\nTargets')
  for (const o of outcomes) {
    const got = o.got === null ? '-' : o.key === 'value' ? String(o.got) : `${o.got.toFixed(2)}x`
    const mark = o.result === 'miss' ? `MISS (${o.by})` : o.result
    console.log(
      `  ${o.label.padEnd(56)} needs ${describeNeed(o).replace('×', 'x').padEnd(7)} got ${got.padEnd(7)} ${mark}`,
    )
  }
}
