import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { cookie, createSessions, defineSession, type SessionEngine } from '../../src'
import { withSessions } from '../../src/http'
import { type LegacySessionSource, migrateSessions } from '../../src/migrate'

/** The tessera session the legacy ones become; its schema checks what `from` returns. */
export const Login = defineSession('login', { schema: z.object({ userId: z.string().min(1) }) })
export const SECRET = 'the tessera secret of the migration tests, 32+ bytes'

export interface Running {
  readonly url: string
  close(): Promise<void>
}

/** Listens on 127.0.0.1, port 0; close also drops idle keep-alive sockets. */
export function listen(server: Server): Promise<Running> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}

/** The engine of the tessera app, migrating from `sources` until `until`. */
export function migratingEngine(
  sources: readonly LegacySessionSource<typeof Login>[],
  until = new Date(Date.now() + 86_400_000),
): SessionEngine {
  return migrateSessions(createSessions({ secret: SECRET, sessions: [cookie(Login)] }), {
    until,
    from: sources,
  })
}

/**
 * The tessera app on node:http: GET /me answers the Login session, PUT /me sets a fresh one,
 * DELETE /me clears it.
 */
export function tesseraApp(engine: SessionEngine): Promise<Running> {
  return listen(
    createServer(
      withSessions(engine, async (req, res) => {
        if (req.method === 'PUT') await req.sessions.set(Login, { userId: 'fresh' })
        if (req.method === 'DELETE') await req.sessions.clear(Login)
        const login = req.method === 'GET' ? await req.sessions.get(Login) : null
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(login))
      }),
    ),
  )
}

/** One response as the tests read it: status, JSON body, and the Set-Cookie lines by cookie name. */
export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly setCookies: Map<string, string>
}

export async function request(url: string, cookies: string, method = 'GET'): Promise<Answer> {
  const response = await fetch(url, { method, headers: cookies ? { cookie: cookies } : {} })
  const setCookies = new Map<string, string>()
  for (const line of response.headers.getSetCookie()) setCookies.set(line.slice(0, line.indexOf('=')), line)
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, setCookies }
}

/** The `name=value` pair of a Set-Cookie line, as a browser sends it back. */
export const pair = (line: string | undefined): string => (line ?? '').split(';')[0]!

/** True when a Set-Cookie line deletes its cookie: empty value, Max-Age=0 and an Expires in the past. */
export function isCleared(line: string | undefined): boolean {
  if (line === undefined) return false
  const expires = /Expires=([^;]+)/.exec(line)?.[1]
  return /^[^=]+=;/.test(line) && /; Max-Age=0(;|$)/.test(line) && Date.parse(expires ?? '') < Date.now()
}
