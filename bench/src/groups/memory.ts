import { join } from 'node:path'
import { forkTracked, nextMessage, stopChild } from '../lib/children'
import { BENCH_DIR } from '../lib/paths'
import type { Row } from '../lib/rows'
import { unmeasured } from '../lib/rows'

const CHILD = join(BENCH_DIR, 'src', 'groups', 'memory-child.ts')
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
        note: `the stored text is ${answer.dataBytes} characters; the rest is the id, the entry and the map`,
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
