import { AsyncLocalStorage } from 'node:async_hooks'
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { InvalidSessionEvent } from '@tessera/node'
import { createSessions, nodeCrypto } from '@tessera/node'
import { sessionsOf, withSessions } from '@tessera/node/fetch'
import { createApi } from '../src/api/create-api'
import { createPlaygroundEngine } from '../src/api/playground-engine'
import { cookieWrites, encodeTrace, TRACE_HEADER } from '../src/api/trace'
import { BodyTooLargeError, sendResponse, toRequest } from './fetch-bridge'
import type { ResolvedSecret } from './secret'
import { createStaticFiles } from './static-files'
import type { OpenedStorage, StorageKind } from './storage'
import { openStorage } from './storage'

/** Options of {@link startPlaygroundServer}. */
export interface PlaygroundServerOptions {
  readonly host: string
  /** 0 picks a free port. */
  readonly port: number
  readonly storage: StorageKind
  readonly secret: ResolvedSecret
  /** The built SPA (`vite build`'s output). */
  readonly staticDir: string
  /** Environment for the storage URLs (`REDIS_URL`, `DATABASE_URL`). @default process.env */
  readonly env?: NodeJS.ProcessEnv | undefined
  /** Told each start-up step as it completes, for the progress lines. */
  readonly onStep?: ((step: 'storage' | 'listening', detail: string) => void) | undefined
}

/** A running playground. */
export interface PlaygroundServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string
  readonly storage: OpenedStorage
  /** How many API requests it served (tests check the offline mode makes none). */
  apiRequests(): number
  close(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is in use: choose another with PORT=<port> or --port <port>`)
          : error,
      )
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

/**
 * Starts the playground on one port: the API under `/api/` (the portable handlers of `src/api`,
 * served through `@tessera/node/fetch`) and the built SPA for everything else.
 *
 * @example
 * const server = await startPlaygroundServer({ host: '127.0.0.1', port: 0, storage: 'memory', secret, staticDir })
 * await server.close()
 */
export async function startPlaygroundServer(options: PlaygroundServerOptions): Promise<PlaygroundServer> {
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    throw new Error(`no built page in ${options.staticDir}: run the playground's build script first`)
  }
  const storage = await openStorage(options.storage, options.env ?? process.env)
  options.onStep?.('storage', storage.description)

  // onInvalid is engine-wide; the request it belongs to is found through the async context.
  const invalidEvents = new AsyncLocalStorage<InvalidSessionEvent[]>()
  const playground = createPlaygroundEngine({
    secret: options.secret.value,
    createEngine: createSessions,
    crypto: nodeCrypto,
    loginStorage: storage.storage,
    onInvalid: (event) => invalidEvents.getStore()?.push(event),
  })
  const api = createApi({ playground, mode: 'server', storage: storage.kind, secret: options.secret.source })
  const handle = withSessions(playground.engine, (request: Request) =>
    api({ request, sessions: sessionsOf(request), invalid: invalidEvents.getStore() ?? [] }),
  )
  const serveStatic = createStaticFiles(options.staticDir)

  let origin = ''
  let apiRequests = 0
  const server = createServer(async (req, res) => {
    try {
      if (!req.url?.startsWith('/api/')) return await serveStatic(req, res)
      apiRequests++
      const request = await toRequest(req, origin)
      const invalid: InvalidSessionEvent[] = []
      const response = await invalidEvents.run(invalid, () => handle(request))
      const login = response.headers.get('login')
      response.headers.set(
        TRACE_HEADER,
        encodeTrace({
          invalid,
          cookies: cookieWrites(response.headers.getSetCookie()),
          headers: login === null ? {} : { login },
        }),
      )
      await sendResponse(res, response, req.method)
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError
      if (!tooLarge) console.error(`playground: ${req.method} ${req.url?.split('?')[0]} failed:`, error)
      if (!res.headersSent) res.writeHead(tooLarge ? 413 : 500)
      res.end()
    }
  })
  let address: AddressInfo
  try {
    address = await listen(server, options.port, options.host)
  } catch (error) {
    await storage.close()
    throw error
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  origin = `http://${host}:${address.port}`
  options.onStep?.('listening', origin)

  return {
    url: origin,
    storage,
    apiRequests: () => apiRequests,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await storage.close()
    },
  }
}
