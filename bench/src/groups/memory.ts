import { join } from 'node:path'
import { forkTracked, nextMessage, stopChild } from '../lib/children'
import { BENCH_DIR } from '../lib/paths'
import type { Row } from '../lib/rows'
import { unmeasured } from '../lib/rows'

const CHILD = join(BENCH_DIR, 'src', 'groups', 'memory-child.ts')
const SIZE_CHILD = join(BENCH_DIR, 'src', 'groups', 'storage-size-child.ts')
const GROUP = 'memory'
const METRIC = 'bytes/session'

interface Measured {
  type: 'memory'
  count: number
  bytes: number
  dataBytes: number
}
interface Failure {
  type: 'error'
  reason: string
}
const isAnswer = (message: any): message is Measured | Failure =>
  message?.type === 'memory' || message?.type === 'error'

interface Sized {
  type: 'size'
  count: number
  bytes: number
  dataBytes: number
  detail: string
}
const isSize = (message: any): message is Sized | Failure =>
  message?.type === 'size' || message?.type === 'error'

/** How many sessions each storage outside the heap is filled with. */
export interface StorageSizeCounts {
  readonly directory: number
  readonly redis: number
}

const SIZE_ROWS = {
  directory: (count: string) => `directoryStorage, ${count} sessions (disk blocks)`,
  redis: (count: string) => `redisStorage, ${count} sessions (Redis used_memory)`,
} as const

/**
 * Bytes per session of `directoryStorage` (disk blocks allocated, block size included) and
 * `redisStorage` (growth of Redis's used_memory on a key prefix of its own, deleted after), each in a
 * child of its own.
 */
export async function runStorageSizeRows(
  counts: StorageSizeCounts,
  select: (name: string) => boolean,
): Promise<Row[]> {
  const rows: Row[] = []
  for (const kind of ['directory', 'redis'] as const) {
    const count = counts[kind]
    const name = SIZE_ROWS[kind](count.toLocaleString('en-US'))
    if (!select(name)) continue
    const tracked = forkTracked(SIZE_CHILD, [kind, String(count)])
    try {
      const answer = await nextMessage(tracked, isSize, 300_000)
      if (answer.type === 'error') {
        rows.push(unmeasured(GROUP, name, METRIC, 'failed', answer.reason))
        continue
      }
      const perSession = Math.round(answer.bytes / answer.count)
      console.log(`  ${name.padEnd(58)} ${perSession.toLocaleString('en-US').padStart(12)} bytes/session`)
      rows.push({
        group: GROUP,
        name,
        metric: METRIC,
        value: perSession,
        ratio: {},
        status: 'ok',
        note: `the stored text is ${answer.dataBytes} characters; ${answer.detail}`,
      })
    } catch (error) {
      rows.push(unmeasured(GROUP, name, METRIC, 'failed', (error as Error).message))
    } finally {
      await stopChild(tracked)
    }
  }
  return rows
}

/** Heap bytes per session in core's `memoryStorage`, each count in a fresh child process. */
export async function runMemoryGroup(
  counts: readonly number[],
  select: (name: string) => boolean,
): Promise<Row[]> {
  const rows: Row[] = []
  for (const count of counts) {
    const name = `memoryStorage, ${count.toLocaleString('en-US')} sessions`
    if (!select(name)) continue
    const tracked = forkTracked(CHILD, [String(count)], {
      execArgv: ['--expose-gc', '--max-old-space-size=4096'],
    })
    try {
      const answer = await nextMessage(tracked, isAnswer, 300_000)
      if (answer.type === 'error') {
        rows.push(unmeasured(GROUP, name, METRIC, 'failed', answer.reason))
        continue
      }
      const perSession = Math.round(answer.bytes / answer.count)
      console.log(`  ${name.padEnd(58)} ${perSession.toLocaleString('en-US').padStart(12)} bytes/session`)
      rows.push({
        group: GROUP,
        name,
        metric: METRIC,
        value: perSession,
        ratio: {},
        status: 'ok',
        note: `the stored text is ${answer.dataBytes} characters; the rest is the id, the entry and the map. At most maxEntries sessions are kept (100,000 by default; least recently used dropped)`,
        extra: { 'heap delta (MB)': Math.round(answer.bytes / 1e5) / 10 },
      })
    } catch (error) {
      rows.push(unmeasured(GROUP, name, METRIC, 'failed', (error as Error).message))
    } finally {
      await stopChild(tracked)
    }
  }
  return rows
}
