/**
 * The directory storage and a process killed mid-write: a child writes one session over and over and
 * is killed with SIGKILL at a random moment, repeatedly. Each time, a fresh storage on the same folder
 * must read either the last acknowledged value or the one that was being written, whole: never
 * nothing, never a mix.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { directoryStorage } from '../../src/directory'
import { settlesWithin, sleep } from '../storage/helpers/servers'
import { writerValue } from './helpers/directory-writer'
import { LONG } from './helpers/http'

const KILLS = LONG ? 40 : 4
const WRITER = fileURLToPath(new URL('./helpers/directory-writer.ts', import.meta.url))
const ID = 'killedMidWrite-0001'

const figures = {
  kills: 0,
  killedWithAWriteInFlight: 0,
  readLastAcknowledged: 0,
  readTheWriteInFlight: 0,
  leftoverTempFiles: 0,
}
afterAll(() =>
  console.log(
    `[hardening] directory storage, writer killed with SIGKILL:\n${JSON.stringify(figures, null, 1)}`,
  ),
)

/** Starts the writer, kills it after `delayMs` past its first acknowledged write; returns what it printed. */
async function killWriter(root: string, delayMs: number): Promise<{ acked: number; begun: number }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@tessera/source', '--import', 'tsx', WRITER, root, ID],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  let acked = 0
  let begun = 0
  let firstAck: () => void = () => {}
  const acknowledged = new Promise<void>((resolve) => {
    firstAck = resolve
  })
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const line of lines) {
      const [word, number] = line.split(' ')
      if (word === 'begin') begun = Number(number)
      if (word === 'ack') {
        acked = Number(number)
        firstAck()
      }
    }
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    await settlesWithin(acknowledged, 20_000, 'the writer’s first write')
    await sleep(delayMs)
  } finally {
    child.kill('SIGKILL')
    await settlesWithin(exited, 10_000, 'the writer’s exit')
  }
  // Lines the pipe still held when it was killed.
  for (const line of buffered.split('\n')) {
    const [word, number] = line.split(' ')
    if (word === 'begin') begun = Math.max(begun, Number(number))
    if (word === 'ack') acked = Math.max(acked, Number(number))
  }
  return { acked, begun }
}

describe('directory storage: the writing process killed', () => {
  it(`${KILLS} SIGKILLs at random moments: the old or the new value, whole, every time`, {
    timeout: KILLS * 15_000 + 30_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), 'tessera-kill-'))
    try {
      for (let i = 0; i < KILLS; i++) {
        const { acked, begun } = await killWriter(root, 5 + ((i * 37) % 120))
        figures.kills++
        if (begun > acked) figures.killedWithAWriteInFlight++
        const storage = directoryStorage(root, { sweepInterval: false })
        const stored = await storage.read(ID)
        storage.close()
        expect(stored).not.toBeNull()
        const n = Number(stored!.data.slice(0, stored!.data.indexOf(':')))
        expect(stored!.data).toBe(writerValue(n))
        // The last acknowledged write, or the one begun after it (it may have been renamed into place).
        expect([acked, acked + 1]).toContain(n)
        if (n === acked) figures.readLastAcknowledged++
        else figures.readTheWriteInFlight++
      }
      const shard = join(root, 'sessions', ID.slice(0, 2))
      figures.leftoverTempFiles = (await readdir(shard)).filter((name) => name.endsWith('.tmp')).length
    } finally {
      await rm(root, { recursive: true, force: true })
    }
    expect(figures.kills).toBe(KILLS)
  })
})
