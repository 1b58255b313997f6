/**
 * A node:http server on `@tessera/node/http` for the hardening suite, and a client that carries
 * cookies and header tokens by hand, so a test can send exactly the bytes an attacker would.
 */
import type { SessionEngine } from '../../../src'
import { type SessionRequest, withSessions } from '../../../src/http'
import { type Server, serve } from '../../storage/helpers/servers'

export const env = (name: string): string | undefined => process.env[name]
/** True when the long soak and fault runs were asked for (`TESSERA_HARDENING_LONG=1`). */
export const LONG = env('TESSERA_HARDENING_LONG') === '1'

export { type Server, serve }

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
