/**
 * Measures heap bytes per session held by core's `memoryStorage`, in a process of its own started
 * with `--expose-gc`: heap used after a full collection, before and after writing `count` sessions.
 * Each session is the cart as the default codec stores it, with its own id and its own text.
 *
 * Usage (forked by `memory.ts`): memory-child.ts <count>
 */
import { memoryStorage, superjsonCodec } from '@tessera/core'
import { newCart } from '../workload'

const count = Number(process.argv[2])
const gc = (globalThis as { gc?: () => void }).gc

async function main(): Promise<object> {
  if (!gc) throw new Error('run with --expose-gc')
  if (!Number.isInteger(count) || count < 1 || count > 2_000_000)
    throw new Error('count must be 1 to 2,000,000')
  const storage = memoryStorage({ maxEntries: count })
  const template = await superjsonCodec.encode(newCart())
  const ttl = 7 * 86_400_000
  gc()
  gc()
  const before = process.memoryUsage().heapUsed
  // Ids shaped like the default identity (22 base64url characters) and texts of their own, made
  // here so the heap measured holds what the storage keeps: its entries, the ids and the texts.
  for (let i = 0; i < count; i++) {
    const id = `s${i.toString(36).padStart(21, '0')}`
    await storage.write(id, template.replace('"count":0', `"count":${i}`), { ttl })
  }
  gc()
  gc()
  const after = process.memoryUsage().heapUsed
  if (storage.size !== count) throw new Error(`the storage holds ${storage.size} sessions, not ${count}`)
  return { type: 'memory', count, bytes: after - before, dataBytes: template.length }
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
