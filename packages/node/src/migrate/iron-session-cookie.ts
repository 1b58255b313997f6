import type { AnySessionDescriptor, SessionValue } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { loadOnce } from '@tessera/core/internal'
import {
  assertSourceOptions,
  type LegacyCookieOptions,
  type LegacyMapping,
  type LegacySessionSource,
  legacyCookieClearer,
} from './legacy-source'

/**
 * Options of {@link ironSessionCookie}, after the tessera session the old one becomes: iron-session's own `cookieName` and `password`, as the app
 * configured them.
 *
 * @example
 * ironSessionCookie(Login, { cookieName: 'app', password: process.env.IRON_PASSWORD!, from: (old) => ... })
 */
export interface IronSessionCookieOptions<
  TDescriptor extends AnySessionDescriptor,
  TLegacy = Record<string, unknown>,
> {
  /** iron-session's `cookieName`. */
  readonly cookieName: string
  /**
   * iron-session's `password`: one of at least 32 characters, or its rotation map (`{ 2: new, 1: old }`);
   * every password of the map opens.
   */
  readonly password: string | Readonly<Record<string | number, string>>
  /** The new session's value from the unsealed data; null drops it. The descriptor's schema checks the result. */
  readonly from: LegacyMapping<TLegacy, SessionValue<TDescriptor>>
  /** Where iron-session set the cookie (its `cookieOptions.path` and `domain`). @default { path: '/' } */
  readonly cookie?: LegacyCookieOptions | undefined
}

type UnsealData = (
  seal: string,
  options: { password: Record<string, string> },
) => Promise<Record<string, unknown>>

/** iron-session, an optional peer: the app moving off it has it installed. */
const loadIronSession = loadOnce(async () => {
  try {
    const { unsealData } = (await import('iron-session')) as unknown as { unsealData: UnsealData }
    return unsealData
  } catch {
    throw new SessionError('UNSUPPORTED', 'ironSessionCookie needs the iron-session package: install it')
  }
})

/**
 * Reads iron-session's sealed cookie (an iron seal, `Fe26.2*…~2`) with iron-session's own
 * `unsealData`, for {@link migrateSessions}. A seal that does not open with the password(s) (tampered,
 * another password) or has expired, or holds no data, reads as absent. iron-session is loaded on the
 * first legacy cookie seen.
 *
 * @example
 * const legacy = ironSessionCookie(Login, {
 *   cookieName: 'app-session',
 *   password: process.env.IRON_PASSWORD!,
 *   from: (old: { user?: { id: string } }) => (old.user ? { userId: old.user.id } : null),
 * })
 */
export function ironSessionCookie<
  TDescriptor extends AnySessionDescriptor,
  TLegacy = Record<string, unknown>,
>(
  into: TDescriptor,
  options: IronSessionCookieOptions<TDescriptor, TLegacy>,
): LegacySessionSource<TDescriptor> {
  assertSourceOptions('ironSessionCookie', into, options?.from)
  const { from } = options
  const passwords: Record<string, string> =
    typeof options.password === 'string' ? { 1: options.password } : { ...options.password }
  const values = Object.values(passwords)
  if (
    values.length === 0 ||
    values.some((password) => typeof password !== 'string' || password.length < 32)
  ) {
    throw new SessionError(
      'INVALID_KEY',
      'ironSessionCookie needs iron-session passwords of at least 32 characters',
    )
  }
  const clearingCookie = legacyCookieClearer(options.cookieName, options.cookie)

  return {
    into,
    cookieName: options.cookieName,
    clearingCookie,
    async open(cookieValue) {
      const unsealData = await loadIronSession()
      let data: Record<string, unknown>
      try {
        data = await unsealData(cookieValue, { password: passwords })
      } catch {
        // A seal iron cannot parse (cut, not base64url...) is as absent as one whose MAC fails.
        return null
      }
      if (typeof data !== 'object' || data === null || Object.keys(data).length === 0) return null
      return (await from(data as TLegacy)) ?? null
    },
    // The session lives in the cookie alone: clearing it ends it.
    retire: async () => {},
  }
}
