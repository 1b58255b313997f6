import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { inCI } from '../../../../scripts/ci.mjs'
import * as connectStore from '../../src/connect-store'
import * as directory from '../../src/directory'
import * as postgres from '../../src/postgres'
import * as redis from '../../src/redis'
import { clusterAvailable } from './helpers/redis-cluster'
import { serverAvailable } from './helpers/servers'

describe('storage entries', () => {
  it('export these names from @tessera/node/directory, /redis, /postgres and /connect-store', () => {
    const names = (entry: object) => Object.keys(entry).sort()
    expect({
      directory: names(directory),
      redis: names(redis),
      postgres: names(postgres),
      connectStore: names(connectStore),
    }).toMatchInlineSnapshot(`
      {
        "connectStore": [
          "connectStoreStorage",
        ],
        "directory": [
          "directoryStorage",
        ],
        "postgres": [
          "postgresStorage",
          "postgresTableSql",
        ],
        "redis": [
          "redisStorage",
        ],
      }
    `)
  })
})

/** A port on 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('a missing server in the integration tests', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
    vi.restoreAllMocks()
  })

  it('outside CI: the tests are skipped with one line saying so', async () => {
    vi.stubEnv('CI', '')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const port = await closedPort()
    expect(await serverAvailable('Redis', port)).toBe(false)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toBe(
      `[tessera] Redis is not reachable on 127.0.0.1:${port}: skipping the Redis storage tests (in CI this fails)`,
    )
  })

  it('outside CI: also with CI=false or CI=0', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const port = await closedPort()
    for (const value of ['false', '0', 'FALSE']) {
      vi.stubEnv('CI', value)
      expect(await serverAvailable('Redis', port)).toBe(false)
    }
  })

  it('in CI (CI=1, CI=true): a failure', async () => {
    const port = await closedPort()
    for (const value of ['1', 'true']) {
      vi.stubEnv('CI', value)
      await expect(serverAvailable('PostgreSQL', port)).rejects.toThrow(
        `PostgreSQL is not reachable on 127.0.0.1:${port}: CI requires it`,
      )
    }
  })
})

describe('the CI rule (scripts/ci.mjs), shared by the storage, browser and playground suites', () => {
  it('is CI for any non-empty CI but false and 0', () => {
    for (const value of ['true', '1', 'TRUE', 'yes', 'github-actions', ' 1 '])
      expect(inCI({ CI: value })).toBe(true)
    for (const value of [undefined, '', ' ', 'false', 'False', '0']) expect(inCI({ CI: value })).toBe(false)
  })

  it('reads process.env by default', () => {
    vi.stubEnv('CI', '1')
    expect(inCI()).toBe(true)
    vi.stubEnv('CI', '0')
    expect(inCI()).toBe(false)
    vi.unstubAllEnvs()
  })

  it('a Redis Cluster that cannot be started (no redis-server): skipped outside CI, a failure in CI (CI=1 too)', async () => {
    // A PATH with bash and mkdir only, as on a machine without Redis.
    const bin = await mkdtemp(join(tmpdir(), 'tessera-no-redis-'))
    try {
      for (const tool of ['bash', 'mkdir']) {
        const path = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim()
        await symlink(path, join(bin, tool))
      }
      vi.stubEnv('PATH', bin)
      vi.stubEnv('CI', '')
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      expect(await clusterAvailable()).toBe(false)
      expect(warn.mock.calls.map((call) => call[0])).toEqual([
        '[tessera] a Redis Cluster could not be started on 127.0.0.1:7000-7005 (redis cluster: redis-server and redis-cli must be on the PATH): skipping the Redis Cluster tests (in CI this fails)',
      ])
      for (const value of ['true', '1']) {
        vi.stubEnv('CI', value)
        await expect(clusterAvailable()).rejects.toThrow(
          'a Redis Cluster could not be started on 127.0.0.1:7000-7005 (redis cluster: redis-server and redis-cli must be on the PATH): CI requires it',
        )
      }
    } finally {
      await rm(bin, { recursive: true, force: true })
    }
  })
})

describe('storage factories refuse unknown option names', () => {
  it('names the option meant', async () => {
    const { redisStorage } = await import('../../src/redis/index')
    const { postgresStorage } = await import('../../src/postgres/index')
    const { directoryStorage } = await import('../../src/directory/index')
    const { connectStoreStorage } = await import('../../src/connect-store/index')
    const loose = (options: object) => options as any
    const fakeRedis = { eval: () => {}, evalsha: () => {} } as any
    const fakePool = { connect: () => {} } as any
    const fakeStore = { get() {}, set() {}, destroy() {} } as any
    const cases: [() => unknown, string][] = [
      [() => redisStorage(fakeRedis, loose({ prefx: 'a:' })), 'did you mean prefix?'],
      [() => postgresStorage(fakePool, loose({ tableName: 't' })), 'did you mean table?'],
      [() => directoryStorage('/tmp/x', loose({ durabel: true })), 'did you mean durable?'],
      [() => connectStoreStorage(fakeStore, loose({ timeOut: 5 })), 'did you mean timeout?'],
    ]
    for (const [make, hint] of cases) {
      expect(make).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringContaining(hint) }),
      )
    }
  })
})
