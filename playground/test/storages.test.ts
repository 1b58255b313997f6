import { createConnection } from 'node:net'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { inCI } from '../../scripts/ci.mjs'
import type { PlaygroundServer } from '../server/playground-server'
import { startPlaygroundServer } from '../server/playground-server'
import type { StorageKind } from '../server/storage'
import { ApiClient } from './helpers/http-client'

/** True when something answers on 127.0.0.1:port within a second. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (up: boolean) => {
      socket.destroy()
      resolve(up)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

const servers: PlaygroundServer[] = []
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()))
})

for (const [kind, port] of [
  ['redis', 6379],
  ['postgres', 5432],
] as [StorageKind, number][]) {
  const up = await listening(port)
  if (!up && inCI()) throw new Error(`${kind} must run on 127.0.0.1:${port} in CI`)
  if (!up)
    console.warn(
      `[storages] nothing on 127.0.0.1:${port}: the STORAGE=${kind} tests are skipped (CI runs them)`,
    )

  describe.skipIf(!up)(`STORAGE=${kind}`, () => {
    it('keeps logins in the real server: regenerate, read back, sign out everywhere', async () => {
      const server = await startPlaygroundServer({
        host: '127.0.0.1',
        port: 0,
        storage: kind,
        secret: { value: `the playground ${kind} test: 32+ bytes of secret`, source: 'env' },
        staticDir: inject('spaDir'),
        env: {},
      })
      servers.push(server)
      expect(server.storage.kind).toBe(kind)
      const config = await new ApiClient(server.url).send('/api/config')
      expect(config.body.storage).toBe(kind)

      const laptop = new ApiClient(server.url)
      const phone = new ApiClient(server.url)
      const first = await laptop.send('/api/login', { method: 'POST', body: { userId: 'grace' } })
      const second = await laptop.send('/api/login', { method: 'POST', body: { userId: 'grace' } })
      expect(second.body.previousId).toBe(first.body.report.id)
      expect(second.body.report.id).not.toBe(first.body.report.id)
      await phone.send('/api/login', { method: 'POST', body: { userId: 'grace' } })
      expect((await phone.send('/api/login')).body.report.value).toContain('Grace Hopper')

      const ended = await laptop.send('/api/login/everywhere', { method: 'POST' })
      expect(ended.body.ended).toBeGreaterThanOrEqual(2)
      expect((await phone.send('/api/login')).body.report).toMatchObject({ value: null, reason: 'NOT_FOUND' })
    })
  })
}

describe('a storage that is down', () => {
  it('fails the start-up with a message that names it and no credentials', async () => {
    const attempt = startPlaygroundServer({
      host: '127.0.0.1',
      port: 0,
      storage: 'redis',
      secret: { value: 'the playground storage test: 32+ bytes of secret', source: 'env' },
      staticDir: inject('spaDir'),
      env: { REDIS_URL: 'redis://someone:hunter2@127.0.0.1:1' },
    })
    await expect(attempt).rejects.toThrow(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1/)
    await expect(attempt).rejects.not.toThrow(/hunter2/)
  })
})
