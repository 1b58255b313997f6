/**
 * Bytes per session of the storages that live outside the heap, in a process of its own:
 *
 * - `directory`: `count` sessions written through `directoryStorage` into a fresh temporary folder;
 *   the disk it takes is the blocks allocated (`stat.blocks` × 512, so the file system's block size
 *   counts) of every file and folder under it, divided by the count. The folder is deleted after.
 * - `redis`: `count` sessions written through `redisStorage` (ioredis, 127.0.0.1:6379) under a key
 *   prefix of their own; the growth of Redis's `INFO memory` `used_memory` divided by the count. The
 *   keys are deleted after.
 *
 * Each session is the cart as the default codec stores it, with its own 22-character id.
 *
 * Usage (forked by `memory.ts`): storage-size-child.ts <directory|redis> <count>
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SessionStorage } from '@tessera/core'
import { superjsonCodec } from '@tessera/core'
import { connectBenchRedis } from '../lib/redis'
import { newCart } from '../workload'

const [kind = '', countText = ''] = process.argv.slice(2)
const count = Number(countText)
const TTL_MS = 7 * 86_400_000

/** Writes `count` sessions, each with its own id and text, a few at a time. */
async function fill(storage: SessionStorage): Promise<number> {
  const template = await superjsonCodec.encode(newCart())
  const batch = 64
  for (let start = 0; start < count; start += batch) {
    const writes: Promise<unknown>[] = []
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const id = `s${i.toString(36).padStart(21, '0')}`
      writes.push(storage.write(id, template.replace('"count":0', `"count":${i}`), { ttl: TTL_MS }))
    }
    await Promise.all(writes)
  }
  return template.length
}

/** Blocks allocated (bytes) and files under `path`, folders included. */
function diskUsage(path: string): { bytes: number; files: number } {
  const stat = statSync(path)
  if (!stat.isDirectory()) return { bytes: stat.blocks * 512, files: 1 }
  let bytes = stat.blocks * 512
  let files = 0
  for (const name of readdirSync(path)) {
    const inner = diskUsage(join(path, name))
    bytes += inner.bytes
    files += inner.files
  }
  return { bytes, files }
}

async function directory(): Promise<object> {
  const { directoryStorage } = await import('@tessera/node/directory')
  const root = mkdtempSync(join(tmpdir(), 'tessera-bench-dir-'))
  try {
    const storage = directoryStorage(join(root, 'sessions'), { sweepInterval: false })
    const dataBytes = await fill(storage)
    storage.close()
    const { bytes, files } = diskUsage(join(root, 'sessions'))
    const blockSize = statSync(root).blksize
    return { type: 'size', count, bytes, dataBytes, detail: `${files} files, block size ${blockSize} B` }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

async function redis(): Promise<object> {
  const [{ client, prefix, close }, { redisStorage }] = await Promise.all([
    connectBenchRedis('size'),
    import('@tessera/node/redis'),
  ])
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1])
  try {
    const before = await usedMemory()
    const dataBytes = await fill(redisStorage(client, { prefix }))
    const after = await usedMemory()
    const keys = await client.dbsize()
    return { type: 'size', count, bytes: after - before, dataBytes, detail: `${keys} keys in the db` }
  } finally {
    await close()
  }
}

async function main(): Promise<object> {
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
    throw new Error('count must be 1 to 1,000,000')
  if (kind === 'directory') return directory()
  if (kind === 'redis') return redis()
  throw new Error(`unknown storage "${kind}"`)
}

/** Sends the answer, then exits once it is on its way. */
function answer(message: object, code: number): void {
  if (process.send) process.send(message, () => process.exit(code))
  else process.exit(code)
}

main().then(
  (message) => answer(message, 0),
  (error: unknown) =>
    answer({ type: 'error', reason: error instanceof Error ? error.message : String(error) }, 1),
)
