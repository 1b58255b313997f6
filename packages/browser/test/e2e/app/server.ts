import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { cookie, header } from '@tessera/core'
import { createSessions } from '@tessera/node'
import type { SessionRequest } from '@tessera/node/http'
import { withSessions } from '@tessera/node/http'
import { build } from 'esbuild'
import { Cart, Login, Prefs } from './sessions'

const SECRET = 'browser end-to-end tests: a secret of 32+ bytes'
const HTML =
  '<!doctype html><meta charset="utf-8"><title>tessera e2e</title><script type="module" src="/assets/page.js"></script>'

/** What a server on another origin saw: the session header and cookies it was (not) given. */
export interface Seen {
  readonly method: string
  readonly path: string
  readonly login: string | undefined
  readonly cookie: string | undefined
  /** The headers a CORS preflight asked for. */
  readonly requestHeaders: string | undefined
}

export interface TestServers {
  /** The page's origin: http://127.0.0.1:<port>. */
  readonly origin: string
  /** A hostile origin, http://localhost:<port>: it answers any CORS preflight and returns a `login` token. */
  readonly thirdParty: string
  /** Every request the third party received, preflights included. */
  readonly thirdPartySeen: Seen[]
  /** A cross-origin API a client may list in its `origins`, http://127.0.0.1:<another port>. */
  readonly api: string
  readonly apiSeen: Seen[]
  /** Every asset path the page requested, in order. */
  readonly assetsServed: string[]
  close(): Promise<void>
}

/** The page bundled as a browser app ships: ESM with code splitting, so lazy chunks load lazily. */
async function bundlePage(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: { page: fileURLToPath(new URL('./page.ts', import.meta.url)) },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@tessera/source'],
    outdir: '/assets',
    write: false,
    logLevel: 'warning',
  })
  return new Map(result.outputFiles.map((file) => [file.path, file.text]))
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null')
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end()
    return
  }
  const text = JSON.stringify(body)
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text)
}

/** Listens on 127.0.0.1 and resolves to the port. */
function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

function seenOf(req: IncomingMessage): Seen {
  const one = (name: string) => {
    const value = req.headers[name]
    return typeof value === 'string' ? value : undefined
  }
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    login: one('login'),
    cookie: one('cookie'),
    requestHeaders: one('access-control-request-headers'),
  }
}

/** CORS headers that let `req`'s origin read the response, with credentials and the `login` header. */
function corsFor(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': 'login, content-type',
    'access-control-expose-headers': 'login',
  }
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

/**
 * Starts the app server (page, assets, session API on @tessera/node's node:http adapter), a
 * cross-origin API and a hostile third party that record what reaches them, all on 127.0.0.1 (the
 * third party is addressed as localhost, another site).
 */
export async function startServers(): Promise<TestServers> {
  const assets = await bundlePage()
  const assetsServed: string[] = []
  const thirdPartySeen: Seen[] = []
  const apiSeen: Seen[] = []
  // Known once the servers listen; the redirects below point there.
  let thirdPartyOrigin = ''
  const sessions = createSessions({
    secret: SECRET,
    sessions: [cookie(Cart), cookie(Prefs), header(Login)],
  })
  const publicKeys = await sessions.publicKeys()

  const app = createServer(
    withSessions(sessions, async (req: SessionRequest, res) => {
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1')
      const route = `${req.method} ${pathname}`
      if (route === 'GET /') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML)
      } else if (req.method === 'GET' && assets.has(pathname)) {
        assetsServed.push(pathname)
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(assets.get(pathname))
      } else if (route === 'GET /api/config') {
        send(res, 200, { publicKeys })
      } else if (route === 'POST /api/cart') {
        await req.sessions.set(Cart, await readJson(req))
        send(res, 204)
      } else if (route === 'POST /api/login') {
        await req.sessions.set(Login, await readJson(req))
        send(res, 200, { ok: true })
      } else if (route === 'GET /api/me') {
        send(res, 200, { login: await req.sessions.get(Login), prefs: await req.sessions.get(Prefs) })
      } else if (route === 'POST /api/toss') {
        // What a sibling subdomain or another path's page can do: a cookie of the session's name, for a
        // longer path, which the browser then sends first.
        res.setHeader('set-cookie', 'cart=tossed-garbage; Path=/api/shop')
        send(res, 204)
      } else if (route === 'GET /api/shop/cart') {
        const cookieHeader = req.headers.cookie ?? ''
        send(res, 200, {
          carts: cookieHeader.split('; ').filter((pair) => pair.startsWith('cart=')).length,
          tossedFirst: cookieHeader.startsWith('cart=tossed-garbage'),
          cart: await req.sessions.get(Cart),
        })
      } else if (route === 'POST /api/logout') {
        await req.sessions.clear(Login)
        send(res, 204)
      } else if (route === 'GET /api/redirect-away') {
        // An open redirect, or an ordinary one to a CDN: it leads to another origin.
        res.writeHead(302, { location: `${thirdPartyOrigin}/landing` }).end()
      } else if (route === 'POST /api/redirect-home') {
        res.writeHead(303, { location: '/api/me' }).end()
      } else {
        send(res, 404, { error: 'not found' })
      }
    }),
  )
  const thirdParty = createServer((req, res) => {
    thirdPartySeen.push(seenOf(req))
    // An attacker answers every preflight yes, for any origin (a redirected request's is "null").
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsFor(req)).end()
      return
    }
    // A hostile answer: a token the client must not take from an origin it was not configured for.
    res
      .writeHead(200, { ...corsFor(req), login: 'v1.s.0.1.2.aWQ.dGFn', 'content-type': 'application/json' })
      .end('{}')
  })
  const api = createServer((req, res) => {
    apiSeen.push(seenOf(req))
    const cors = corsFor(req)
    if (req.method === 'OPTIONS') res.writeHead(204, cors).end()
    else if (req.url === '/away')
      res.writeHead(302, { ...cors, location: `${thirdPartyOrigin}/landing` }).end()
    else if (req.url === '/moved') res.writeHead(307, { ...cors, location: '/here' }).end()
    else res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"api":true}')
  })
  const [appPort, thirdPartyPort, apiPort] = await Promise.all([listen(app), listen(thirdParty), listen(api)])
  thirdPartyOrigin = `http://localhost:${thirdPartyPort}`
  return {
    origin: `http://127.0.0.1:${appPort}`,
    thirdParty: thirdPartyOrigin,
    thirdPartySeen,
    api: `http://127.0.0.1:${apiPort}`,
    apiSeen,
    assetsServed,
    close: async () => {
      await Promise.all([close(app), close(thirdParty), close(api)])
    },
  }
}
