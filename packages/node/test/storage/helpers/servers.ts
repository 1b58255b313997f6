import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { inCI } from '../../../../../scripts/ci.mjs'

export const REDIS_PORT = 6379
export const POSTGRES_PORT = 5432
/** Connection settings of the machine's PostgreSQL (trust auth). */
export const POSTGRES = {
  host: '127.0.0.1',
  port: POSTGRES_PORT,
  user: 'postgres',
  database: 'test',
} as const

/** True when something accepts TCP connections on 127.0.0.1:`port` within a second. */
export function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const done = (up: boolean) => {
      socket.destroy()
      resolve(up)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * Whether the integration tests of `name` can run. A missing server is one clear line outside CI
 * (the tests are skipped, reported as skipped) and a failure of the whole file in CI (`inCI`: `CI`
 * set to anything but empty, `false` or `0`).
 */
export async function serverAvailable(name: string, port: number): Promise<boolean> {
  if (await reachable(port)) return true
  const line = `${name} is not reachable on 127.0.0.1:${port}`
  if (inCI()) throw new Error(`${line}: CI requires it for the storage integration tests`)
  console.warn(`[tessera] ${line}: skipping the ${name} storage tests (in CI this fails)`)
  return false
}

/** A short random suffix for key prefixes, schemas and folders, so concurrent runs never collide. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex')
}

/** A fresh session id (as the engine makes them: 22 base64url characters). */
export function newId(): string {
  return randomBytes(16).toString('base64url')
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Settles like `promise`, or rejects when it has not settled within `ms`: a bound against hangs. */
export function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer))
}

/** A server a test started on 127.0.0.1: its URL, and `close`. */
export interface Server {
  readonly url: string
  close(): Promise<void>
}

/** Listens on 127.0.0.1, port 0; `close` also drops idle keep-alive sockets. */
export async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<Server> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch(() => {
      // Not a session error: the adapter leaves it to the app, which answers 500 without details.
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"INTERNAL"}')
    })
  })
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
