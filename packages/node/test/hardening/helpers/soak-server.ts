/**
 * The server of the soak test, in its own process so its heap is measured alone: node:http with a
 * server-stored session in memoryStorage. Prints `port <n>` once listening. `GET /__heap` collects
 * garbage (the process runs with --expose-gc) and answers the heap in use and the storage's size.
 * Usage: node --expose-gc --conditions=@tessera/source --import tsx soak-server.ts
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cookie, createSessions, defineSession, memoryStorage } from '../../../src'
import { withSessions } from '../../../src/http'

const Login = defineSession<{ user: string; count: number; roles: string[] }>()('login', {
  storage: 'server',
})
const storage = memoryStorage()
const sessions = createSessions({
  secret: 'hardening soak: a secret of 32+ bytes, test only',
  sessions: [cookie(Login, { storage })],
})

const gc = (globalThis as { gc?: () => void }).gc

const server = createServer(
  withSessions(sessions, async (req, res) => {
    let body: unknown = null
    switch (`${req.method} ${req.url}`) {
      case 'POST /login':
        await req.sessions.set(Login, {
          user: `user-${Math.random().toString(36).slice(2)}`,
          count: 0,
          roles: ['reader'],
        })
        break
      case 'POST /bump':
        body = await req.sessions.update(Login, (current) =>
          current ? { ...current, count: current.count + 1 } : null,
        )
        break
      case 'POST /logout':
        await req.sessions.clear(Login)
        break
      case 'GET /__heap':
        for (let i = 0; i < 3; i++) gc?.()
        body = { heapUsed: process.memoryUsage().heapUsed, sessions: storage.size, gc: gc !== undefined }
        break
      default:
        res.writeHead(404).end()
        return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }),
)
server.keepAliveTimeout = 10_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`)
})
