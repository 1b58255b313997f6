/**
 * A child process for the directory kill test: writes one session over and over to a directory
 * storage, printing `begin <n>` before each write and `ack <n>` once it resolved, until killed.
 * Usage: node --conditions=@tessera/source --import tsx directory-writer.ts <root> <id>
 */
import { directoryStorage } from '../../../src/directory'

/** The value written as number n: its length varies (up to ~200 KB) and its content is checkable. */
export function writerValue(n: number): string {
  return `${n}:${String(n % 10).repeat(((n * 7919) % 200) * 1024)}`
}

async function main(): Promise<void> {
  const [root, id] = process.argv.slice(2)
  const storage = directoryStorage(root!, { sweepInterval: false })
  for (let n = 1; ; n++) {
    process.stdout.write(`begin ${n}\n`)
    await storage.write(id!, writerValue(n), { ttl: 0 })
    process.stdout.write(`ack ${n}\n`)
  }
}

if (process.argv[1]?.endsWith('directory-writer.ts')) void main()
