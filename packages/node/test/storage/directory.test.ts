import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isSessionError } from '@tessera/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DirectoryStorage, directoryStorage } from '../../src/directory'
import { describeStorageContract } from './contract'
import { newId, sleep } from './helpers/servers'
import { describeLifecycle } from './lifecycle'

let base: string
const opened: DirectoryStorage[] = []
/** A storage in a fresh folder under this file's temporary directory; closed after the file. */
async function fresh(options: Parameters<typeof directoryStorage>[1] = {}): Promise<DirectoryStorage> {
  const storage = directoryStorage(await mkdtemp(join(base, 'root-')), { sweepInterval: false, ...options })
  opened.push(storage)
  return storage
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'tessera-directory-'))
})
afterAll(async () => {
  for (const storage of opened) storage.close()
  await rm(base, { recursive: true, force: true })
})

describeStorageContract('directoryStorage', () => fresh(), { checksIds: true })
describeLifecycle('directoryStorage', async () => ({ storage: await fresh() }))

/** Every file under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort()
}

describe('directoryStorage: files on disk', () => {
  it('writes one file per id in a folder named by its first two characters, private to the user', async () => {
    const storage = await fresh()
    await storage.write('AbCdEfGh123', '{"a":1}\nsecond line', { ttl: 0, owner: 'ada' })
    const path = join(storage.root, 'sessions', 'Ab', 'AbCdEfGh123')
    expect(await readFile(path, 'utf8')).toBe(
      '{"tessera":1,"version":1,"expiresAt":0,"owner":"ada"}\n{"a":1}\nsecond line',
    )
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await stat(join(storage.root, 'sessions', 'Ab'))).mode & 0o777).toBe(0o700)
    // The owner index: one empty marker per session, in a folder named by the owner's SHA-256.
    const files = await tree(storage.root)
    expect(files).toHaveLength(2)
    expect(files[0]).toMatch(/^owners\/[0-9a-f]{64}\/AbCdEfGh123$/)
    expect(files[1]).toBe('sessions/Ab/AbCdEfGh123')
  })

  it('leaves no temporary file behind, even after 50 concurrent writes to one id', async () => {
    const storage = await fresh()
    const id = newId()
    await Promise.all(Array.from({ length: 50 }, (_, i) => storage.write(id, `value ${i}`, { ttl: 60_000 })))
    expect(await tree(storage.root)).toEqual([`sessions/${id.slice(0, 2)}/${id}`])
    expect((await storage.read(id))?.version).toBe(50)
  })

  it('replaces files atomically: a reader never sees a half-written value', async () => {
    const storage = await fresh()
    const id = newId()
    const values = ['a', 'b', 'c'].map((letter) => letter.repeat(512 * 1024))
    await storage.write(id, values[0]!, { ttl: 60_000 })
    let writing = true
    const writer = (async () => {
      for (let i = 1; i <= 30; i++) await storage.write(id, values[i % 3]!, { ttl: 60_000 })
      writing = false
    })()
    const torn: string[] = []
    let reads = 0
    while (writing && reads < 2000) {
      const stored = await storage.read(id)
      reads++
      if (!stored || !values.includes(stored.data)) torn.push(stored ? `${stored.data.length} bytes` : 'null')
    }
    await writer
    expect(torn).toEqual([])
    expect(reads).toBeGreaterThan(0)
  })

  it('never creates anything outside its root for hostile ids', async () => {
    const storage = await fresh()
    for (const id of ['../escape-attempt', '..%2fescape', '/etc/passwd1', 'C:\\Windows\\x']) {
      await expect(storage.write(id, 'x', { ttl: 0 })).rejects.toSatisfy((e) =>
        isSessionError(e, 'INVALID_VALUE'),
      )
    }
    expect(await readdir(base)).not.toContain('escape-attempt')
    expect(await tree(storage.root)).toEqual([])
  })

  it('reads a corrupt or foreign file as absent, and a write over it starts again at version 1', async () => {
    const storage = await fresh()
    const id = newId()
    await storage.write(id, 'ok', { ttl: 0 })
    await writeFile(join(storage.root, 'sessions', id.slice(0, 2), id), 'not a session file')
    expect(await storage.read(id)).toBeNull()
    expect(await storage.write(id, 'again', { ttl: 0, expectedVersion: null })).toBe(1)
  })

  it('fails with STORAGE_UNAVAILABLE naming neither the id nor the path', async () => {
    const file = join(base, `not-a-folder-${newId()}`)
    await writeFile(file, '')
    const storage = directoryStorage(file, { sweepInterval: false })
    const id = newId()
    const error = await storage.write(id, 'x', { ttl: 0 }).catch((e: unknown) => e)
    expect(isSessionError(error, 'STORAGE_UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toMatch(/^directory storage: write failed \(E[A-Z]+\)$/)
    expect((error as Error).message).not.toContain(id)
    expect((error as Error).cause).toBeUndefined()
    await expect(storage.read(id)).rejects.toSatisfy((e) => isSessionError(e, 'STORAGE_UNAVAILABLE'))
  })

  it('two storages on one folder (two processes) see each other; compare-and-set still refuses stale versions', async () => {
    const first = await fresh()
    const second = directoryStorage(first.root, { sweepInterval: false })
    const id = newId()
    await first.write(id, 'from first', { ttl: 60_000, owner: 'ada' })
    expect(await second.read(id)).toMatchObject({ data: 'from first', version: 1 })
    expect(await second.write(id, 'from second', { ttl: 60_000, expectedVersion: 1 })).toBe(2)
    expect(await first.write(id, 'stale', { ttl: 60_000, expectedVersion: 1 })).toBeNull()
    expect(await first.invalidateOwner('ada')).toBe(1)
    expect(await second.read(id)).toBeNull()
  })
})

describe('directoryStorage: sweeping', () => {
  it('deletes expired, corrupt and stale temporary files; keeps live ones and fresh temporary files', async () => {
    let now = Date.now()
    const storage = await fresh({ now: () => now })
    const [live, forever, expired, owned, corrupt] = [newId(), newId(), newId(), newId(), newId()]
    await storage.write(live, 'live', { ttl: 60_000 })
    await storage.write(forever, 'forever', { ttl: 0, owner: 'ada' })
    await storage.write(expired, 'expired', { ttl: 1000 })
    await storage.write(owned, 'owned', { ttl: 1000, owner: 'ada' })
    await storage.write(corrupt, 'soon corrupt', { ttl: 60_000 })
    await writeFile(join(storage.root, 'sessions', corrupt.slice(0, 2), corrupt), 'garbage')
    const shard = join(storage.root, 'sessions', live.slice(0, 2))
    const staleTemp = join(shard, `${live}.aaaaaaaaaaaa.tmp`)
    const freshTemp = join(shard, `${live}.bbbbbbbbbbbb.tmp`)
    await writeFile(staleTemp, 'left by a crash')
    await writeFile(freshTemp, 'being written')
    const old = new Date(now - 120_000)
    await utimes(staleTemp, old, old)

    now += 5000 // `expired` and `owned` are past their ttl
    expect(await storage.sweep()).toBe(3)
    const files = await tree(storage.root)
    expect(files.filter((f) => f.startsWith('sessions/')).sort()).toEqual(
      [
        `sessions/${live.slice(0, 2)}/${live}`,
        `sessions/${forever.slice(0, 2)}/${forever}`,
        freshTemp.slice(storage.root.length + 1),
      ].sort(),
    )
    // Only `forever` is still indexed under ada.
    expect(files.filter((f) => f.startsWith('owners/')).map((f) => f.split('/')[2])).toEqual([forever])
    expect(await storage.read(live)).toMatchObject({ data: 'live' })
    expect(await storage.sweep()).toBe(0)
  })

  it('drops index entries whose session is gone, and empty owner folders', async () => {
    const storage = await fresh()
    const id = newId()
    await storage.write(id, 'x', { ttl: 60_000, owner: 'bo' })
    await rm(join(storage.root, 'sessions', id.slice(0, 2), id)) // deleted behind the storage's back
    await storage.sweep()
    expect(await tree(storage.root)).toEqual([])
    expect(await readdir(join(storage.root, 'owners'))).toEqual([])
  })

  it('sweeps on its own with sweepInterval, and stops on close()', async () => {
    const storage = await fresh({ sweepInterval: 1 })
    const id = newId()
    await storage.write(id, 'short', { ttl: 50 })
    const path = join(storage.root, 'sessions', id.slice(0, 2), id)
    let gone = false
    for (let i = 0; i < 40 && !gone; i++) {
      await sleep(100)
      gone = !(await stat(path).then(
        () => true,
        () => false,
      ))
    }
    expect(gone).toBe(true)
    storage.close()
    const later = newId()
    await storage.write(later, 'short', { ttl: 50 })
    await sleep(1300)
    expect(await tree(storage.root)).toContain(`sessions/${later.slice(0, 2)}/${later}`)
  })
})
