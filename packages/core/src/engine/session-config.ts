import type { CookieAttributeOptions, CookieEncoding } from '../cookie'
import type { AnySessionDescriptor, SessionValue, Transport } from '../descriptor'
import type { Duration } from '../duration'
import { SessionError } from '../errors'
import { assertKnownOptions, COOKIE_OPTIONS, HEADER_OPTIONS } from '../option-names'
import type { SessionTransformer } from '../session-rules'
import type { SessionStorage } from '../storage/session-storage'

/** What a custom `identity` function may look at: the request's headers. */
export interface IdentityContext {
  /** A request header by lowercase name. */
  header(name: string): string | undefined
}

/** Server-side options shared by cookie and header sessions. */
export interface TransportOptions<T = unknown> {
  /**
   * Holds the values of `storage: 'server'` sessions (ignored by client-stored ones).
   * @default memoryStorage(), shared by the engine's server-stored sessions that name none
   */
  readonly storage?: SessionStorage | undefined
  /**
   * Makes the id of a new server-stored session. Ids must be 8 to 128 characters of `A-Z a-z 0-9 _ -`.
   * @default 128 random bits, base64url
   */
  readonly identity?: ((context: IdentityContext) => string) | undefined
  /** Applied in order on write, in reverse on read, to the value that travels. @default [] */
  readonly transformers?: readonly SessionTransformer[] | undefined
  /**
   * Skip the write when `set` is given a value equal (same encoded text) to the one read.
   * @default true
   */
  readonly skipEqualWrites?: boolean | undefined
  /**
   * Resolves a compare-and-set conflict on a server-stored session: given the value this request
   * wanted to write and the value another request stored meanwhile (null when it no longer decodes),
   * returns what to store. Without it a conflict is `SessionError('CONFLICT')`; a session that ended
   * meanwhile is never brought back.
   */
  readonly merge?: ((mine: T, theirs: T | null) => T) | undefined
  /**
   * How many tokens this process remembers having written or verified, so a token sent back is not
   * verified and decoded again (a remembered token is still refused once expired). 0 turns it off.
   * @default 512
   */
  readonly tokenCache?: number | undefined
  /** Attempts of `update` (and of `merge`) before giving up with `CONFLICT`. @default 10 */
  readonly maxRetries?: number | undefined
  /**
   * The user a server-stored session belongs to, recorded in storages that keep a per-user index so
   * that `engine.invalidateOwner` can sign the user out everywhere. It must return 1 to 512
   * characters of well-formed text (no lone surrogates) without control characters, or undefined;
   * anything else fails `set` with `INVALID_VALUE`.
   */
  readonly owner?: ((value: T) => string | undefined) | undefined
}

/** Options of a cookie session: Ktor's cookie settings, with secure defaults. */
export interface CookieSessionOptions<T = unknown> extends TransportOptions<T>, CookieAttributeOptions {
  /**
   * Cookie lifetime. `null`: a browser-session cookie (no Max-Age, no Expires); `0`: expire it. As in
   * Ktor, a duration given when the descriptor has no `expiry` is the session's lifetime too (idle,
   * renewed on use), and the cookie follows the session; beside an `expiry`, the expiry ends the
   * session and this is only the cookie's. A session given its own lifetime by `set` ignores it.
   * @default the remaining lifetime of the session (7 days with the default expiry)
   */
  readonly maxAge?: Duration | null | undefined
  /** @default 'raw' (tokens are cookie-safe) */
  readonly encoding?: CookieEncoding | undefined
  /** @default true, except for browser-readable sessions */
  readonly httpOnly?: boolean | undefined
  /** @default 'auto': Secure when the request arrived over https */
  readonly secure?: boolean | 'auto' | undefined
  /** @default 'lax' */
  readonly sameSite?: 'lax' | 'strict' | 'none' | false | undefined
  /** @default '/' */
  readonly path?: string | undefined
  /**
   * Splits a token too large for one cookie (4096 bytes) across `name`, `name.1`, … instead of
   * refusing it with `TOO_LARGE`; a missing chunk reads as absent. `true` allows 3 cookies (keep the
   * whole Cookie header under servers' 16 KB header limits). The chunk names (`name.1` up to
   * `name.<maxChunks-1>`) are the session's: another cookie session of such a name is `DUPLICATE`.
   * @default false
   */
  readonly chunking?: boolean | { readonly maxChunks: number } | undefined
}

/** Options of a header session. */
export interface HeaderSessionOptions<T = unknown> extends TransportOptions<T> {
  /**
   * Adds the header to `Access-Control-Expose-Headers` on responses to cross-origin requests (those
   * with an `Origin` header), so a browser on another origin can read it.
   * @default true
   */
  readonly exposeHeader?: boolean | undefined
}

/** A session registered with its server-side options; made by {@link cookie} and {@link header}. */
export interface SessionConfig<TDescriptor extends AnySessionDescriptor = AnySessionDescriptor> {
  readonly descriptor: TDescriptor
  readonly options: CookieSessionOptions<any> | HeaderSessionOptions<any>
}

/**
 * Registers a cookie session with server-side cookie settings (Ktor's `cookie<T>(name) { … }`).
 *
 * @example cookie(Cart, { maxAge: '7d', sameSite: 'strict' })
 */
export function cookie<TDescriptor extends AnySessionDescriptor & { readonly transport: 'cookie' }>(
  descriptor: TDescriptor,
  options: CookieSessionOptions<SessionValue<TDescriptor>> = {},
): SessionConfig<TDescriptor> {
  assertTransport(descriptor, 'cookie')
  assertKnownOptions(options, COOKIE_OPTIONS, 'cookie()', descriptor.name)
  return { descriptor, options }
}

/**
 * Registers a header session with server-side settings (Ktor's `header<T>(name) { … }`).
 *
 * @example header(Login, { storage: redisStorage(redis) })
 */
export function header<TDescriptor extends AnySessionDescriptor & { readonly transport: 'header' }>(
  descriptor: TDescriptor,
  options: HeaderSessionOptions<SessionValue<TDescriptor>> = {},
): SessionConfig<TDescriptor> {
  assertTransport(descriptor, 'header')
  assertKnownOptions(options, HEADER_OPTIONS, 'header()', descriptor.name)
  return { descriptor, options }
}

/** The types refuse the wrong registration; this catches it in plain JavaScript or through a cast. */
function assertTransport(descriptor: AnySessionDescriptor, transport: Transport): void {
  if (descriptor?.transport !== transport) {
    throw new SessionError(
      'INVALID_OPTION',
      `session "${descriptor?.name}" travels by ${descriptor?.transport}: register it with ${descriptor?.transport}(), not ${transport}()`,
      { session: descriptor?.name },
    )
  }
}
