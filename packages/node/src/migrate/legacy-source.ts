import type { AnySessionDescriptor, CookieAttributeOptions, SessionValue } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { cookieAttributes, serializeCookie } from '@tessera/core/internal'

/**
 * A reader of the cookie an app used before tessera, handed to {@link migrateSessions}. tessera
 * ships two, {@link expressSessionCookie} and {@link ironSessionCookie}; an app can write its own.
 *
 * @example
 * const source: LegacySessionSource<typeof Login> = expressSessionCookie(Login, { store, secret, from })
 */
export interface LegacySessionSource<TDescriptor extends AnySessionDescriptor = AnySessionDescriptor> {
  /** The tessera session the legacy one becomes (registered with the engine). */
  readonly into: TDescriptor
  /** The legacy cookie's name. */
  readonly cookieName: string
  /**
   * The new session's value made from the legacy cookie's value (URL-decoded); null when the cookie
   * does not verify, has expired, its session is gone, or the app's mapping returned null. Throws
   * `SessionError('STORAGE_UNAVAILABLE')` when the legacy store fails.
   */
  open(cookieValue: string): Promise<SessionValue<TDescriptor> | null>
  /** Ends what the legacy cookie points to server-side (a store entry), once it was taken over. */
  retire(cookieValue: string): Promise<void>
  /** The Set-Cookie value that clears the legacy cookie; `secure` when the request came over https. */
  clearingCookie(secure: boolean): string
}

/**
 * Where the legacy cookie was set, so that the line clearing it matches it: browsers replace a cookie
 * only of the same name, path and domain.
 *
 * @example { path: '/', domain: 'example.com' }
 */
export type LegacyCookieOptions = Pick<CookieAttributeOptions, 'path' | 'domain' | 'secure' | 'sameSite'>

/** What an app's mapping may return: the new value, null to drop the session, or a promise of either. */
export type LegacyMapping<TLegacy, TValue> = (legacy: TLegacy) => TValue | null | Promise<TValue | null>

/** A cookie name: an RFC 6265 token. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * The clearing Set-Cookie line of a legacy cookie, its attributes checked once (`INVALID_OPTION` for a
 * name or attribute that is not one, or a prefix rule broken).
 */
export function legacyCookieClearer(
  name: string,
  options: LegacyCookieOptions = {},
): (secure: boolean) => string {
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new SessionError('INVALID_OPTION', 'a legacy cookie name must be a cookie token')
  }
  const attributes = cookieAttributes(name, {
    path: options.path,
    domain: options.domain,
    secure: options.secure,
    sameSite: options.sameSite,
  })
  return (secure) => serializeCookie(name, '', attributes, { maxAge: 0, now: 0, secure })
}

/** Checks the session and the `from` option every source has. */
export function assertSourceOptions(kind: string, into: unknown, from: unknown): void {
  if (typeof (into as AnySessionDescriptor | undefined)?.name !== 'string') {
    throw new SessionError('INVALID_OPTION', `${kind}: the first argument must be a session descriptor`)
  }
  if (typeof from !== 'function') {
    throw new SessionError(
      'INVALID_OPTION',
      `${kind}: from must be a function from the old value to the new one`,
    )
  }
}
