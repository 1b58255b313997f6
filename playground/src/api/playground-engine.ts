import type {
  AnySessionDescriptor,
  Duration,
  InvalidSessionEvent,
  RequestSessions,
  SessionCrypto,
  SessionEngine,
  SessionEngineOptions,
  SessionIO,
  SessionStorage,
} from '@tessera/core'
import { cookie, header } from '@tessera/core'
import type { OpenResult, Protector } from '@tessera/core/internal'
import { createKeyRing, createProtector } from '@tessera/core/internal'
import { Cart, Login, Prefs, ShortLived, Vault } from '../shared/sessions'
import { LIFETIME_HEADER, TAMPER_HEADER, tamperedHeaders } from './request-flags'

/** The sessions the playground registers, by name. */
export const SESSIONS = { cart: Cart, login: Login, prefs: Prefs, vault: Vault } as const

/** A session name of the playground. */
export type SessionName = keyof typeof SESSIONS

/** Options of {@link createPlaygroundEngine}. */
export interface PlaygroundEngineOptions {
  /** The master secret, at least 32 bytes. */
  readonly secret: string
  /** Makes an engine: `createSessions` of `@tessera/node` on the server, core's `createSessionEngine` in the page. */
  readonly createEngine: (options: SessionEngineOptions) => SessionEngine
  /** The same primitives the engine runs on, for the inspector's own look at tokens. */
  readonly crypto: SessionCrypto
  /** Where logins are kept (the owner index makes "sign out everywhere" work). */
  readonly loginStorage: SessionStorage
  /** Told why an incoming session read as absent; never given the token. */
  readonly onInvalid: (event: InvalidSessionEvent) => void
}

/** The playground's engine, and a way to look inside a token without the engine's side effects. */
export interface PlaygroundEngine {
  /** The engine adapters serve requests with. */
  readonly engine: SessionEngine
  /** Opens a token as the session's protector would: verified claims and payload, or why not. */
  inspect(descriptor: AnySessionDescriptor, token: string, nowSeconds: number): Promise<OpenResult>
}

const SESSIONS_BY_KIND = { Cart, Login, Prefs, Vault } as const

/** The short-lived twin of each session, by name. */
const SHORT_LIVED = new Map<string, AnySessionDescriptor>(Object.values(ShortLived).map((d) => [d.name, d]))

/**
 * The sessions of a short-lived request, as the API's handlers call them: with the usual descriptors
 * (`Cart`, `Login`…). The short engine registers only the twins, and an engine serves the descriptor
 * it was given, never another one of the same name, so each call is handed the twin.
 */
function asShortLived(sessions: RequestSessions): RequestSessions {
  const twin = (descriptor: unknown) =>
    (descriptor && SHORT_LIVED.get((descriptor as AnySessionDescriptor).name)) ?? descriptor
  return new Proxy(sessions, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target)
      if (typeof member !== 'function') return member
      return (descriptor: unknown, ...rest: unknown[]) => member.call(target, twin(descriptor), ...rest)
    },
  })
}

/**
 * Cart, Login, Prefs and Vault with their server options; the same list for both lifetimes. The
 * short-lived cookies keep a week-long Max-Age on purpose: the browser then still holds the token
 * after it expired and sends it, which shows the expiry that counts, the one signed inside the token.
 */
function registrations(
  sessions: typeof SESSIONS_BY_KIND | typeof ShortLived,
  loginStorage: SessionStorage,
  cookieMaxAge: Duration | undefined,
) {
  const cookieOptions = { maxAge: cookieMaxAge }
  return [
    cookie(sessions.Cart, cookieOptions),
    header(sessions.Login, { storage: loginStorage, owner: (login) => login.userId }),
    cookie(sessions.Prefs, cookieOptions),
    cookie(sessions.Vault, cookieOptions),
  ]
}

/**
 * Creates the engine the playground serves with. It is two engines behind one face: the sessions as
 * defined, and the same sessions lasting 10 seconds, used for a request that asks for it with
 * `x-playground-lifetime: short` (the panels' "expire" buttons). Both derive the same keys, so each
 * reads the other's tokens. A request with `x-playground-tamper: <session>` has that session's token
 * flipped by one character on arrival, to show what the engine does with a forged token the page
 * could not forge itself (the Vault's HttpOnly cookie). A real app needs one engine and neither header.
 *
 * @example
 * const { engine } = createPlaygroundEngine({ secret, createEngine: createSessions, crypto: nodeCrypto, loginStorage, onInvalid })
 * const handler = withSessions(engine, (request) => api(request))
 */
export function createPlaygroundEngine(options: PlaygroundEngineOptions): PlaygroundEngine {
  const base = { secret: options.secret, onInvalid: options.onInvalid }
  const main = options.createEngine({
    ...base,
    sessions: registrations(SESSIONS_BY_KIND, options.loginStorage, undefined),
  })
  const short = options.createEngine({
    ...base,
    sessions: registrations(ShortLived, options.loginStorage, '7d'),
  })

  const ring = createKeyRing({ secret: options.secret })
  const protectors = new Map<string, Protector>()
  const protectorOf = (descriptor: AnySessionDescriptor): Protector => {
    let protector = protectors.get(descriptor.name)
    if (!protector) {
      protector = createProtector({
        protection: descriptor.protection,
        name: descriptor.name,
        crypto: options.crypto,
        ring,
      })
      protectors.set(descriptor.name, protector)
    }
    return protector
  }

  const engine: SessionEngine = {
    // Data tokens are the main engine's: the playground's tampering and lifetimes concern sessions.
    seal: main.seal,
    unseal: main.unseal,
    sign: main.sign,
    verify: main.verify,
    open(io: SessionIO) {
      const target = io.requestHeader(TAMPER_HEADER)
      const tampered = target !== undefined && Object.hasOwn(SESSIONS, target)
      const requestIO: SessionIO = tampered
        ? {
            requestHeader: tamperedHeaders((name) => io.requestHeader(name), SESSIONS[target as SessionName]),
            appendHeader: (name, value) => io.appendHeader(name, value),
            setHeader: (name, value) => io.setHeader(name, value),
            headersSent: () => io.headersSent(),
            isSecure: () => io.isSecure(),
          }
        : io
      if (io.requestHeader(LIFETIME_HEADER) !== 'short') return main.open(requestIO)
      return asShortLived(short.open(requestIO))
    },
    has: (descriptor) => main.has(descriptor),
    publicKeys: () => main.publicKeys(),
    invalidate: (descriptor, id) => main.invalidate(descriptor, id),
    invalidateOwner: (descriptor, owner) => main.invalidateOwner(descriptor, owner),
    listSessions: (descriptor, owner) => main.listSessions(descriptor, owner),
    readSession: (descriptor, owner, handle) => main.readSession(descriptor, owner, handle),
    replaceSession: (descriptor, owner, handle, value) =>
      main.replaceSession(descriptor, owner, handle, value),
    endSession: (descriptor, owner, handle) => main.endSession(descriptor, owner, handle),
  }

  return {
    engine,
    inspect: async (descriptor, token, nowSeconds) => protectorOf(descriptor).open(token, nowSeconds),
  }
}
