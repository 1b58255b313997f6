import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { inCI } from '../../../../../scripts/ci.mjs'
import * as scripts from '../../../src/redis/redis-scripts'

/** The six nodes of the test cluster on 127.0.0.1 (three masters, three replicas). */
export const CLUSTER_PORTS = [7000, 7001, 7002, 7003, 7004, 7005] as const

const SCRIPT = fileURLToPath(new URL('./redis-cluster.sh', import.meta.url))
const run = promisify(execFile)

/** Runs redis-cluster.sh with `args`, bounded in time; rejects with what it printed on stderr. */
async function script(args: string[], timeout: number): Promise<void> {
  try {
    await run('bash', [SCRIPT, ...args], { timeout })
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string }
    throw new Error((stderr ?? '').trim() || message)
  }
}

/**
 * Whether the cluster tests can run: reuses the healthy cluster on 127.0.0.1:7000-7005, or starts
 * one (redis-cluster.sh, which .ci/run calls too). When that fails (no redis-server on the PATH, a
 * port taken), one clear line outside CI (the tests are skipped) and a failure in CI (scripts/ci.mjs).
 */
export async function clusterAvailable(): Promise<boolean> {
  try {
    await script(['start'], 120_000)
    return true
  } catch (error) {
    const line = `a Redis Cluster could not be started on 127.0.0.1:7000-7005 (${(error as Error).message})`
    if (inCI()) throw new Error(`${line}: CI requires it for the Redis Cluster tests`)
    console.warn(`[tessera] ${line}: skipping the Redis Cluster tests (in CI this fails)`)
    return false
  }
}

/** One line of `CLUSTER NODES`. */
export interface ClusterNode {
  readonly id: string
  readonly port: number
  readonly master: boolean
  /** The master's id, for a replica. */
  readonly masterId: string | undefined
  readonly failed: boolean
  /** Slot ranges served, for a master: `[from, to]`. */
  readonly slots: readonly (readonly [number, number])[]
}

/** Runs `call` on a short-lived connection to one node. */
export async function onNode<T>(port: number, call: (node: Redis) => Promise<T>): Promise<T> {
  const node = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 })
  node.on('error', () => {})
  try {
    await node.connect()
    return await call(node)
  } finally {
    node.disconnect()
  }
}

/** The cluster as `port` sees it. */
export async function clusterNodes(port: number): Promise<ClusterNode[]> {
  const text = (await onNode(port, (node) => node.call('CLUSTER', 'NODES'))) as string
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, address, flags, masterId, , , , , ...slots] = line.split(' ')
      const list = flags!.split(',')
      return {
        id: id!,
        port: Number(address!.split('@')[0]!.split(':')[1]),
        master: list.includes('master'),
        masterId: masterId === '-' ? undefined : masterId,
        failed: list.includes('fail') || list.includes('fail?'),
        slots: slots
          .filter((range) => !range.startsWith('['))
          .map((range) => {
            const [from, to = from] = range.split('-').map(Number)
            return [from!, to!] as const
          }),
      }
    })
}

/** The port of the master serving `slot`, as `port` sees it. */
export async function masterOfSlot(slot: number, port: number = CLUSTER_PORTS[0]): Promise<number> {
  const nodes = await clusterNodes(port)
  const master = nodes.find((node) => node.slots.some(([from, to]) => slot >= from && slot <= to))
  if (!master) throw new Error(`no master serves slot ${slot}`)
  return master.port
}

/** The slot of `key` (CLUSTER KEYSLOT). */
export function keySlot(key: string, port: number = CLUSTER_PORTS[0]): Promise<number> {
  return onNode(port, async (node) => Number(await node.call('CLUSTER', 'KEYSLOT', key)))
}

/** Kills the redis-server on `port` with SIGKILL, as a crash would (no shutdown, no last words). */
export async function killNode(port: number): Promise<void> {
  const info = await onNode(port, (node) => node.info('server'))
  const pid = Number(/process_id:(\d+)/.exec(info)?.[1])
  if (!Number.isInteger(pid)) throw new Error(`no process id for the node on ${port}`)
  process.kill(pid, 'SIGKILL')
}

/**
 * Starts the node on `port` again with its kept identity and waits (bounded) until the six nodes are
 * healthy: it rejoins as a replica of the master that took over its slots.
 */
export async function restartNode(port: number): Promise<void> {
  await script(['node', String(port)], 20_000)
  await script(['wait'], 70_000)
}

/** `ROLE` of the node on `port`: 'master' or 'slave'; undefined when it does not answer. */
export async function roleOf(port: number): Promise<string | undefined> {
  try {
    return await onNode(port, async (node) => ((await node.call('ROLE')) as [string])[0])
  } catch {
    return undefined
  }
}

/**
 * Loads the storage's scripts on every master (`SCRIPT LOAD`), as its first use on each node would: a
 * node that does not know a script answers the first `EVALSHA` with `NOSCRIPT` and costs one `EVAL`
 * more, once. A new master (after a failover) starts without them; tests that count round trips load
 * them first.
 */
export async function loadScripts(): Promise<void> {
  const lua = Object.values(scripts).flatMap((value) =>
    typeof value === 'object' && value !== null && 'lua' in value ? [value.lua] : [],
  )
  for (const port of CLUSTER_PORTS) {
    if ((await roleOf(port)) !== 'master') continue
    await onNode(port, async (node) => {
      for (const source of lua) await node.script('LOAD', source)
    })
  }
}
