import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
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
      `[tessera] Redis is not reachable on 127.0.0.1:${port}: skipping the Redis storage tests (with CI=true this fails)`,
    )
  })

  it('with CI=true: a failure', async () => {
    vi.stubEnv('CI', 'true')
    const port = await closedPort()
    await expect(serverAvailable('PostgreSQL', port)).rejects.toThrow(
      `PostgreSQL is not reachable on 127.0.0.1:${port}: CI=true requires it`,
    )
  })

  it('a Redis Cluster that cannot be started (no redis-server): skipped outside CI, a failure with CI=true', async () => {
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
        '[tessera] a Redis Cluster could not be started on 127.0.0.1:7000-7005 (redis cluster: redis-server and redis-cli must be on the PATH): skipping the Redis Cluster tests (with CI=true this fails)',
      ])
      vi.stubEnv('CI', 'true')
      await expect(clusterAvailable()).rejects.toThrow(
        'a Redis Cluster could not be started on 127.0.0.1:7000-7005 (redis cluster: redis-server and redis-cli must be on the PATH): CI=true requires it',
      )
    } finally {
      await rm(bin, { recursive: true, force: true })
    }
  })
})
