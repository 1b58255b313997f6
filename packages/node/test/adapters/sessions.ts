import type { RequestSessions, SessionCodec, SessionEngine, SessionStorage } from '../../src'
import { cookie, createSessions, defineSession, header, memoryStorage } from '../../src'
import type { RequireSessionOptions } from '../../src/auth/session-auth'

export const SECRET = 'tessera adapter tests: a secret of 32+ bytes, never use'

export const Cart = defineSession<{ items: number }>()('cart')
export const Prefs = defineSession<{ theme: string }>()('prefs')
export const Encoded = defineSession<{ n: number }>()('encoded')
export const Long = defineSession<{ n: number }>()('long')
export const Browser = defineSession<{ n: number }>()('browser')
export const Strict = defineSession<{ n: number }>()('__Secure-strict')
export const Login = defineSession<{ userId: string; active: boolean }>()('login', { storage: 'server' })
export const Stored = defineSession<{ secret: string }>()('stored', { storage: 'server' })
export const Token = defineSession<{ plan: string }>()('token', { transport: 'header' })
export const Device = defineSession<{ model: string }>()('device', { transport: 'header', storage: 'server' })

/** A codec of its own (Ktor's custom serializer): `a|b`, signed so the test can read the payload. */
export const pipeCodec: SessionCodec<{ a: string; b: string }> = {
  name: 'pipe',
  encode: (value) => `${value.a}|${value.b}`,
  decode(text) {
    const [a, b, ...rest] = text.split('|')
    if (a === undefined || b === undefined || rest.length > 0) throw new TypeError('not a pipe pair')
    return { a, b }
  },
}
export const Pipe = defineSession<{ a: string; b: string }>()('pipe', {
  codec: pipeCodec,
  protection: 'signed',
})

/** A storage that can be switched off, failing the way a network client does (its message holds the id). */
export interface SwitchableStorage extends SessionStorage {
  down: boolean
}

export function switchableStorage(): SwitchableStorage {
  const inner = memoryStorage()
  const fail = (id: string) =>
    Promise.reject(new Error(`connect ECONNREFUSED 127.0.0.1:6379 while reading ${id}`))
  return {
    down: false,
    read(id) {
      return this.down ? fail(id) : inner.read(id)
    },
    write(id, data, options) {
      return this.down ? fail(id) : inner.write(id, data, options)
    },
    invalidate(id) {
      return this.down ? fail(id) : inner.invalidate(id)
    },
  }
}

export interface SuiteEngine {
  engine: SessionEngine
  storage: SwitchableStorage
}

export function createSuiteEngine(): SuiteEngine {
  const storage = switchableStorage()
  const engine = createSessions({
    secret: SECRET,
    sessions: [
      cookie(Cart),
      cookie(Prefs, { maxAge: '2h', domain: 'example.test' }),
      cookie(Encoded, { encoding: 'base64url' }),
      cookie(Long, { maxAge: 10 ** 12 }),
      cookie(Browser, { maxAge: null }),
      cookie(Strict, { secure: true, sameSite: 'strict', path: '/app' }),
      cookie(Pipe),
      cookie(Login),
      cookie(Stored, { storage }),
      header(Token),
      header(Device, { identity: (request) => `device-${request.header('x-device') ?? 'unknown'}` }),
    ],
  })
  return { engine, storage }
}

/** What a test route sees; each adapter builds it from its own request. */
export interface RouteContext {
  readonly sessions: RequestSessions
  readonly query: URLSearchParams
  /** The guard's `principal(request)`, on a route that `requires` a session. */
  readonly principal?: unknown
}

/** One GET route: its handler's result is sent as `{"result": …}` with status 200. */
export interface RouteSpec {
  readonly handler: (context: RouteContext) => Promise<unknown>
  /** Runs after the response was sent (or returned, for fetch handlers). */
  readonly after?: (sessions: RequestSessions) => Promise<void>
  /** Guards the route with the adapter's `requireSession`. */
  readonly requires?: {
    readonly descriptor: typeof Login
    readonly options?: RequireSessionOptions<typeof Login, any>
  }
}

export type Routes = Readonly<Record<string, RouteSpec>>

export interface Harness {
  readonly url: string
  close(): Promise<void>
}

export interface HarnessOptions {
  /** Whether the adapter (or framework) believes X-Forwarded-Proto. */
  readonly trustProxy: boolean
}

/** Starts a real server on 127.0.0.1, port 0, serving `routes` through one adapter. */
export type StartServer = (engine: SessionEngine, routes: Routes, options: HarnessOptions) => Promise<Harness>

/** Settles once: what a test waits for from a route's `after` step. */
export interface Deferred<T> {
  readonly promise: Promise<T>
  resolve(value: T): void
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => {
    resolve = done
  })
  return { promise, resolve }
}
