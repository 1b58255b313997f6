import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isSessionError, type RequestSessions, type SessionEngine, type SessionIO } from '@tessera/core'

/** A route: what it returns is sent as JSON. */
export type Route = (sessions: RequestSessions, url: URL) => Promise<unknown>

export interface TestApp {
  readonly url: string
  close(): Promise<void>
}

/** The statuses a storage-backed app answers with (what the node adapters' status table gives). */
const STATUS: Partial<Record<string, number>> = { STORAGE_UNAVAILABLE: 503, CONFLICT: 409 }

/**
 * A minimal node:http app over core's engine: a `SessionIO` of five lines, routes by `METHOD /path`,
 * `SessionError`s mapped to statuses. Binds 127.0.0.1 on a free port.
 */
export async function startApp(engine: SessionEngine, routes: Record<string, Route>): Promise<TestApp> {
  const server = createServer(async (req, res) => {
    const io: SessionIO = {
      requestHeader: (name) => {
        const value = req.headers[name]
        return Array.isArray(value) ? value.join(', ') : value
      },
      appendHeader: (name, value) => void res.appendHeader(name, value),
      setHeader: (name, value) => void res.setHeader(name, value),
      headersSent: () => res.headersSent,
      isSecure: () => false,
    }
    const sessions = engine.open(io)
    let status = 200
    let body: unknown = null
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const route = routes[`${req.method} ${url.pathname}`]
      if (route) body = await route(sessions, url)
      else status = 404
    } catch (error) {
      status = (isSessionError(error) && STATUS[error.code]) || 500
      body = { error: isSessionError(error) ? error.code : 'INTERNAL', message: (error as Error).message }
    }
    sessions.commit()
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
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
  return { status: response.status, body: await response.json(), setCookies, cookie: pair }
}
