import type { RequestSessions, SessionEngine } from '../../../src'
import { withSessions } from '../../../src/http'
import { type Server, serve } from './servers'

/** A route: what it returns is sent as JSON. */
export type Route = (sessions: RequestSessions, url: URL) => Promise<unknown>

/** A running app: its URL, and `close`. */
export type TestApp = Server

/**
 * A node:http app on `@tessera/node/http`'s `withSessions`: routes by `METHOD /path`, their result
 * sent as JSON; a `SessionError` a route throws is answered by the adapter's status table (503
 * `STORAGE_UNAVAILABLE`, 409 `CONFLICT`). Binds 127.0.0.1 on a free port.
 */
export async function startApp(engine: SessionEngine, routes: Record<string, Route>): Promise<TestApp> {
  const handler = withSessions(engine, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const route = routes[`${req.method} ${url.pathname}`]
    if (!route) return void res.writeHead(404).end()
    const body = JSON.stringify((await route(req.sessions, url)) ?? null)
    res.writeHead(200, { 'content-type': 'application/json' }).end(body)
  })
  return serve(handler)
}

export interface Reply {
  readonly status: number
  readonly body: any
  /** The `Set-Cookie` lines of the response. */
  readonly setCookies: string[]
  /** `name=value` of the first Set-Cookie with a value, to send back; undefined when none. */
  readonly cookie: string | undefined
}

/** Sends one request to the app, with an optional Cookie header. */
export async function send(app: TestApp, method: string, path: string, cookie?: string): Promise<Reply> {
  const response = await fetch(app.url + path, { method, headers: cookie ? { cookie } : {} })
  const setCookies = response.headers.getSetCookie()
  const pair = setCookies.map((line) => line.split(';')[0]!).find((p) => !p.endsWith('='))
  const text = await response.text()
  return { status: response.status, body: text === '' ? null : JSON.parse(text), setCookies, cookie: pair }
}
