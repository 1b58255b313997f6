import { isSessionError } from '@tessera/core'
import { Cart, Login, SHORT_LIFETIME_SECONDS, Vault, vaultSchema } from '../shared/sessions'
import { CATALOG, USERS } from './catalog'
import { deviceMetadata, deviceRows } from './devices'
import type { PlaygroundEngine, SessionName } from './playground-engine'
import { SESSIONS } from './playground-engine'
import type { ApiCall } from './session-report'
import { reportOn } from './session-report'

/** Where the API runs, shown by the page. */
export interface ApiContext {
  readonly playground: PlaygroundEngine
  /** `server`: the Node server; `offline`: msw in the page. */
  readonly mode: 'server' | 'offline'
  /** Where logins live: `memory`, `redis`, `postgres`, or `localStorage` offline. */
  readonly storage: string
  /** Where the secret came from: `env` (TESSERA_SECRET), `generated` (per process) or `page` (offline). */
  readonly secret: 'env' | 'generated' | 'page'
}

/** What `GET /api/config` answers: how the page should set itself up. */
export interface PlaygroundConfig {
  readonly mode: ApiContext['mode']
  readonly storage: string
  readonly secret: ApiContext['secret']
  /** Ed25519 public keys by session, then key id: what the browser verifies the Cart with. */
  readonly publicKeys: Record<string, Record<string, string>>
  readonly shortLifetime: number
  readonly catalog: typeof CATALOG
  readonly users: typeof USERS
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  })

const problem = (status: number, error: string) => json({ error }, status)

async function readBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const body = (await request.json()) as unknown
    return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A session error as the Node adapters answer it: 503 when the storage is down, 409 on a conflict. */
function sessionProblem(error: unknown): Response {
  if (!isSessionError(error)) throw error
  if (error.code === 'STORAGE_UNAVAILABLE') return problem(503, error.code)
  if (error.code === 'CONFLICT') return problem(409, error.code)
  return problem(500, 'SESSION_ERROR')
}

type Route = (call: ApiCall) => Promise<Response>

/**
 * The playground's API, written once as fetch-style handlers: the Node server serves them through
 * `@tessera/node/fetch`, the offline mode through msw in the page. Every answer about a session is
 * a {@link reportOn} report, so the page's inspectors can show what the server saw and decided.
 *
 * @example
 * const api = createApi(context)
 * const response = await api({ request, sessions: sessionsOf(request), invalid })
 */
export function createApi(context: ApiContext): (call: ApiCall) => Promise<Response> {
  const { playground } = context
  const report = (call: ApiCall, name: SessionName) => reportOn(call, playground, name)

  /** Gives the current session a fresh token; with `x-playground-lifetime: short` it lasts 10 seconds. */
  const reissue = async (call: ApiCall, name: SessionName) => {
    const descriptor = SESSIONS[name]
    if ((await call.sessions.get(descriptor)) === null) return problem(409, `no ${name} session to reissue`)
    await call.sessions.regenerate(descriptor)
    return json({ report: await report(call, name) })
  }

  const routes: Record<string, Route> = {
    async 'GET /api/config'() {
      const config: PlaygroundConfig = {
        mode: context.mode,
        storage: context.storage,
        secret: context.secret,
        publicKeys: await playground.engine.publicKeys(),
        shortLifetime: SHORT_LIFETIME_SECONDS,
        catalog: CATALOG,
        users: USERS,
      }
      return json(config)
    },

    // Cart: the server signs, the browser reads.
    'GET /api/cart': async (call) => json({ report: await report(call, 'cart') }),
    async 'POST /api/cart/items'(call) {
      const { sku } = await readBody(call.request)
      const item = typeof sku === 'string' && Object.hasOwn(CATALOG, sku) ? CATALOG[sku] : undefined
      if (!item) return problem(400, 'unknown sku')
      await call.sessions.update(Cart, (cart) => {
        const lines = new Map(cart?.lines)
        const qty = Math.min((lines.get(sku as string)?.qty ?? 0) + 1, 99)
        lines.set(sku as string, { ...item, qty })
        return { lines, updatedAt: new Date() }
      })
      return json({ report: await report(call, 'cart') })
    },
    async 'DELETE /api/cart'(call) {
      await call.sessions.clear(Cart)
      return json({ report: await report(call, 'cart') })
    },
    'POST /api/cart/reissue': (call) => reissue(call, 'cart'),

    // Login: stored server-side, an id in a header.
    'GET /api/login': async (call) => json({ report: await report(call, 'login') }),
    async 'POST /api/login'(call) {
      const { userId } = await readBody(call.request)
      const user = typeof userId === 'string' && Object.hasOwn(USERS, userId) ? USERS[userId] : undefined
      if (!user) return problem(400, 'unknown user')
      const previousId = await call.sessions.id(Login)
      // Against session fixation: a session that existed before signing in moves to a new id (the
      // old id is invalidated) before it holds the user.
      if (previousId !== null) await call.sessions.regenerate(Login)
      await call.sessions.set(
        Login,
        { userId: userId as string, name: user.name, roles: user.roles, signedInAt: new Date() },
        // Labels for the Devices panel, listed by engine.listSessions.
        { metadata: deviceMetadata(call.request.headers.get('user-agent')) },
      )
      return json({ previousId, report: await report(call, 'login') })
    },
    async 'DELETE /api/login'(call) {
      await call.sessions.clear(Login)
      return json({ report: await report(call, 'login') })
    },
    async 'POST /api/login/everywhere'(call) {
      const login = await call.sessions.get(Login)
      if (login === null) return problem(401, 'not signed in')
      // Every session this user holds, in every browser, through the storage's owner index.
      const ended = await playground.engine.invalidateOwner(Login, login.userId)
      await call.sessions.clear(Login)
      return json({ ended, report: await report(call, 'login') })
    },
    'POST /api/login/reissue': (call) => reissue(call, 'login'),

    // Devices: the signed-in user's sessions, listed by handle through the storage's owner index.
    async 'GET /api/devices'(call) {
      const login = await call.sessions.get(Login)
      if (login === null) return problem(401, 'not signed in')
      const sessions = await playground.engine.listSessions(Login, login.userId)
      return json({ devices: deviceRows(sessions, await call.sessions.handle(Login)) })
    },
    async 'POST /api/devices/end'(call) {
      const login = await call.sessions.get(Login)
      if (login === null) return problem(401, 'not signed in')
      const { handle } = await readBody(call.request)
      if (typeof handle !== 'string') return problem(400, 'name the session by its handle')
      // The owner comes from the caller's own session: a handle of another user's session ends nothing.
      const signedOut = await playground.engine.endSession(Login, login.userId, handle)
      const sessions = await playground.engine.listSessions(Login, login.userId)
      return json({ signedOut, devices: deviceRows(sessions, await call.sessions.handle(Login)) })
    },

    // Prefs: the browser writes them; the server only reads, through the schema.
    'GET /api/prefs': async (call) => json({ report: await report(call, 'prefs') }),

    // Vault: sealed, HttpOnly; the page only ever learns what the server tells it.
    'GET /api/vault': async (call) => json({ report: await report(call, 'vault') }),
    async 'POST /api/vault'(call) {
      const { note } = await readBody(call.request)
      const checked = vaultSchema.shape.note.safeParse(note)
      if (!checked.success) return problem(400, 'a note is 1 to 200 characters')
      await call.sessions.set(Vault, { note: checked.data, savedAt: new Date() })
      return json({ report: await report(call, 'vault') })
    },
    async 'DELETE /api/vault'(call) {
      await call.sessions.clear(Vault)
      return json({ report: await report(call, 'vault') })
    },
    'POST /api/vault/reissue': (call) => reissue(call, 'vault'),
  }

  return async function api(call) {
    const { pathname } = new URL(call.request.url)
    const route = routes[`${call.request.method} ${pathname}`]
    if (!route) {
      const known = Object.keys(routes).some((key) => key.endsWith(` ${pathname}`))
      return known ? problem(405, 'method not allowed') : problem(404, 'not found')
    }
    try {
      return await route(call)
    } catch (error) {
      return sessionProblem(error)
    }
  }
}
