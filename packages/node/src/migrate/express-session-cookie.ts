import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AnySessionDescriptor, SessionValue } from '@tessera/core'
import { SessionError } from '@tessera/core'
import type { ConnectStore } from '../connect-store/connect-store-storage'
import { storageFailure, withTimeout } from '../storage-support/storage-failure'
import {
  assertSourceOptions,
  type LegacyCookieOptions,
  type LegacyMapping,
  type LegacySessionSource,
  legacyCookieClearer,
} from './legacy-source'

/**
 * Options of {@link expressSessionCookie}, after the tessera session the old one becomes: express-session's own `name`, `secret` and `store`, as the
 * app configured them.
 *
 * @example
 * expressSessionCookie(Login, { store, secret: process.env.OLD_SECRET!, from: (old) => ... })
 */
export interface ExpressSessionCookieOptions<
  TDescriptor extends AnySessionDescriptor,
  TLegacy = Record<string, unknown>,
> {
  /** The store express-session used (MemoryStore, connect-redis...): only `get` and `destroy` are called. */
  readonly store: Pick<ConnectStore, 'get' | 'destroy'>
  /** express-session's `secret`: one, or several (the first signs there, every one verifies here). */
  readonly secret: string | readonly string[]
  /**
   * The new session's value from the stored express-session session (its data, with its `cookie`);
   * null drops it. The descriptor's schema checks what it returns.
   */
  readonly from: LegacyMapping<TLegacy, SessionValue<TDescriptor>>
  /** express-session's cookie name. @default 'connect.sid' */
  readonly name?: string | undefined
  /** Where express-session set the cookie (its `cookie.path` and `cookie.domain`). @default { path: '/' } */
  readonly cookie?: LegacyCookieOptions | undefined
  /** Destroy the store entry once taken over, so the old cookie cannot be replayed. @default true */
  readonly destroy?: boolean | undefined
  /** Milliseconds a store call may take before `STORAGE_UNAVAILABLE`. @default 1000 */
  readonly timeout?: number | undefined
}

const STORE = 'express-session'

/**
 * Reads express-session's signed `connect.sid` cookie (`s:` + id + `.` + HMAC-SHA256 in base64, as
 * cookie-signature writes it) and the session it names in the app's store, for
 * {@link migrateSessions}. A cookie that does not verify against any secret, or names no session (or
 * one past its `cookie.expires`), reads as absent; the signature is compared in constant time.
 *
 * @example
 * import session from 'express-session'
 * const store = new session.MemoryStore() // the store express-session had
 * const legacy = expressSessionCookie(Login, {
 *   store,
 *   secret: [process.env.OLD_SECRET!],
 *   from: (old: { userId?: string }) => (old.userId ? { userId: old.userId } : null),
 * })
 */
export function expressSessionCookie<
  TDescriptor extends AnySessionDescriptor,
  TLegacy = Record<string, unknown>,
>(
  into: TDescriptor,
  options: ExpressSessionCookieOptions<TDescriptor, TLegacy>,
): LegacySessionSource<TDescriptor> {
  assertSourceOptions('expressSessionCookie', into, options?.from)
  const { store, from } = options
  if (!store || typeof store.get !== 'function' || typeof store.destroy !== 'function') {
    throw new SessionError('INVALID_OPTION', 'expressSessionCookie needs the store with get and destroy')
  }
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])]
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== 'string' || secret === '')) {
    throw new SessionError(
      'INVALID_KEY',
      'expressSessionCookie needs the non-empty secret(s) express-session used',
    )
  }
  const timeout = options.timeout ?? 1000
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new SessionError(
      'INVALID_OPTION',
      'expressSessionCookie timeout must be a positive number of milliseconds',
    )
  }
  const cookieName = options.name ?? 'connect.sid'
  const clearingCookie = legacyCookieClearer(cookieName, options.cookie)
  const destroy = options.destroy ?? true

  const call = async <T>(
    operation: string,
    start: (callback: (error?: unknown, value?: T) => void) => unknown,
  ) => {
    const answer = new Promise<T | undefined>((resolve, reject) => {
      const returned = start((error, value) => (error ? reject(error) : resolve(value)))
      // connect-redis returns a promise and may reject it without calling back.
      if (typeof (returned as Promise<unknown> | undefined)?.then === 'function') {
        ;(returned as Promise<unknown>).then(undefined, reject)
      }
    })
    try {
      return await withTimeout(answer, timeout, STORE, operation)
    } catch (error) {
      throw storageFailure(STORE, operation, error)
    }
  }

  return {
    into,
    cookieName,
    clearingCookie,
    async open(cookieValue) {
      const sid = unsign(cookieValue, secrets)
      if (sid === undefined) return null
      const stored = await call<unknown>('read', (done) => store.get(sid, done))
      if (!isLive(stored)) return null
      return (await from(stored as TLegacy)) ?? null
    },
    async retire(cookieValue) {
      const sid = unsign(cookieValue, secrets)
      if (sid === undefined || !destroy) return
      await call('destroy', (done) => store.destroy(sid, done))
    },
  }
}

/**
 * The session id of a signed express-session cookie value, or undefined when it is not `s:` + id +
 * `.` + the HMAC-SHA256 of the id under one of the secrets (base64, `=` padding removed). Every secret
 * is tried, each compared in constant time.
 */
export function unsign(cookieValue: string, secrets: readonly string[]): string | undefined {
  if (!cookieValue.startsWith('s:')) return undefined
  const dot = cookieValue.lastIndexOf('.')
  if (dot <= 2) return undefined
  const sid = cookieValue.slice(2, dot)
  const given = Buffer.from(cookieValue.slice(dot + 1))
  let matched = false
  for (const secret of secrets) {
    const expected = Buffer.from(createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, ''))
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true
  }
  return matched ? sid : undefined
}

/** True for a stored session object that has not passed its `cookie.expires` (stores may keep one). */
function isLive(stored: unknown): boolean {
  if (typeof stored !== 'object' || stored === null) return false
  const expires = (stored as { cookie?: { expires?: unknown } }).cookie?.expires
  if (expires === undefined || expires === null) return true
  const at = new Date(expires as string | number | Date).getTime()
  return !Number.isNaN(at) && at > Date.now()
}
