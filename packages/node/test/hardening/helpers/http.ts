/**
 * A node:http server on `@tessera/node/http` for the hardening suite, and a client that carries
 * cookies and header tokens by hand, so a test can send exactly the bytes an attacker would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SessionEngine } from '../../../src'
import { type SessionRequest, withSessions } from '../../../src/http'

export const env = (name: string): string | undefined => process.env[name]
/** True when the long soak and fault runs were asked for (`TESSERA_HARDENING_LONG=1`). */
export const LONG = env('TESSERA_HARDENING_LONG') === '1'

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

/** A route of {@link serveSessions}: what it returns is sent as `{"value": …}`. */
export type Route = (req: SessionRequest, url: URL) => Promise<unknown>

/** An app of routes by `METHOD /path` on `withSessions`; session errors get the adapter's status table. */
export function serveSessions(engine: SessionEngine, routes: Record<string, Route>): Promise<Server> {
  return serve(
    withSessions(engine, async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const route = routes[`${req.method} ${url.pathname}`]
      if (!route) return void res.writeHead(404).end()
      const body = JSON.stringify({ value: (await route(req, url)) ?? null })
      res.writeHead(200, { 'content-type': 'application/json' }).end(body)
    }),
  )
}

export interface Reply {
  readonly status: number
  readonly text: string
  readonly body: any
  readonly headers: Headers
  /** Set-Cookie lines. */
  readonly setCookies: string[]
  /** name → value of each Set-Cookie line (an empty value when it clears). */
  readonly cookies: Map<string, string>
}

/** Sends one request with exactly the Cookie header and headers given. */
export async function send(
  server: Server,
  method: string,
  path: string,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.cookie !== undefined) headers.cookie = options.cookie
  const response = await fetch(server.url + path, { method, headers })
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const setCookies = response.headers.getSetCookie()
  const cookies = new Map<string, string>()
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0]!
    const eq = pair.indexOf('=')
    cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
  }
  return { status: response.status, text, body, headers: response.headers, setCookies, cookies }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Settles like `promise`, or rejects when it has not settled within `ms`: a bound against hangs. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)
  })
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer))
}
