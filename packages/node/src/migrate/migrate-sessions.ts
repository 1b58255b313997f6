import type { AnySessionDescriptor, RequestSessions, SessionEngine, SessionIO } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { decodeCookieValue, readCookie } from '@tessera/core/internal'
import type { LegacySessionSource } from './legacy-source'

/**
 * Options of {@link migrateSessions}.
 *
 * @example { until: new Date('2027-03-01T00:00:00Z'), from: [expressSessionCookie({ ... })] }
 */
export interface MigrateSessionsOptions {
  /**
   * When the legacy readers turn off: from then on the engine is used as it is, and a legacy cookie
   * is neither read nor cleared. Required: a migration has an end.
   */
  readonly until: Date
  /** The legacy cookies to take over, tried in this order for a session. */
  readonly from: readonly LegacySessionSource<any>[]
  /** Clock in unix milliseconds, for tests. @default Date.now */
  readonly now?: (() => number) | undefined
}

/** One legacy cookie the request carries, and the source that reads it. */
interface Carried {
  readonly source: LegacySessionSource<any>
  readonly value: string
}

/**
 * The engine, with the sessions an app issued before tessera taken over until `options.until`: on
 * the first read of a session (`get`, `take`, `update`, `getOrSet`, `id`, `handle`, `lifetime`,
 * `regenerate`) that is absent while a legacy cookie of it is present, the cookie is opened, mapped by
 * the source's `from`, and the result `set` as the tessera session; the legacy cookie is cleared (a
 * Set-Cookie with `Max-Age=0`) and its store entry destroyed. A legacy cookie beside a tessera
 * session, or before `set` or `clear` of that session, is cleared without being taken over, so a
 * sign-out also ends the old session.
 *
 * A legacy cookie that does not verify or has expired reads as absent and is cleared. A legacy store
 * that fails is `SessionError('STORAGE_UNAVAILABLE')`; a mapped value the schema refuses is
 * `SessionError('INVALID_VALUE')`; either way the legacy cookie stays for the next request. Requests
 * without a legacy cookie cost one Cookie header scan per source. Works with every adapter: they
 * all open requests through the engine.
 *
 * @example
 * const sessions = migrateSessions(createSessions({ secret, sessions: [cookie(Login)] }), {
 *   until: new Date('2027-03-01T00:00:00Z'),
 *   from: [expressSessionCookie(Login, { store, secret: oldSecret, from: (old) => ... })],
 * })
 * app.use(expressSessions(sessions))
 */
export function migrateSessions(engine: SessionEngine, options: MigrateSessionsOptions): SessionEngine {
  const until = options?.until
  if (!(until instanceof Date) || Number.isNaN(until.getTime())) {
    throw new SessionError(
      'INVALID_OPTION',
      'migrateSessions needs until: the Date the legacy readers turn off',
    )
  }
  const sources = [...(options.from ?? [])]
  const names = new Set<string>()
  for (const source of sources) {
    if (!engine.has(source.into)) {
      throw new SessionError(
        'NOT_REGISTERED',
        `session "${source.into?.name}" of a legacy cookie is not registered`,
      )
    }
    if (names.has(source.cookieName)) {
      throw new SessionError('DUPLICATE', 'two legacy sources read the same cookie')
    }
    names.add(source.cookieName)
  }
  const end = until.getTime()
  const now = options.now ?? Date.now

  // Everything but open is the engine's own (its methods are closures, so they keep their engine).
  return {
    ...engine,
    open(io, openOptions) {
      const sessions = engine.open(io, openOptions)
      if (now() >= end) return sessions
      const carried = carriedCookies(io, sources)
      return carried.length === 0 ? sessions : takingOver(sessions, io, carried)
    },
  }
}

/** The legacy cookies of the request, URL-decoded as express-session and iron-session read them. */
function carriedCookies(io: SessionIO, sources: readonly LegacySessionSource<any>[]): Carried[] {
  const header = io.requestHeader('cookie')
  if (!header) return []
  const carried: Carried[] = []
  for (const source of sources) {
    const raw = readCookie(header, source.cookieName)
    if (raw === undefined) continue
    // A value that is not valid percent-encoding is kept as sent: it fails to verify and is cleared.
    carried.push({ source, value: decodeCookieValue(raw, 'uri') ?? raw })
  }
  return carried
}

/**
 * The request's sessions with the legacy cookies of `carried` settled before the first use of their
 * session: taken over on a read, dropped on a write. The methods are replaced on this one object,
 * so adapters and handlers keep the engine's own `RequestSessions`.
 */
function takingOver(sessions: RequestSessions, io: SessionIO, carried: readonly Carried[]): RequestSessions {
  const get = sessions.get.bind(sessions)
  const set = sessions.set.bind(sessions)
  const commit = sessions.commit.bind(sessions)
  const settling = new Map<AnySessionDescriptor, Promise<void>>()
  const clearing: Carried[] = []

  /** Takes the legacy session over when the tessera one is absent (`read`), then ends the legacy one. */
  const settleNow = async (descriptor: AnySessionDescriptor, read: boolean): Promise<void> => {
    const mine = carried.filter(({ source }) => source.into === descriptor)
    if (read && (await get(descriptor)) === null) {
      for (const { source, value } of mine) {
        const next = await source.open(value)
        if (next === null) continue
        await set(descriptor, next)
        break
      }
    }
    for (const entry of mine) await entry.source.retire(entry.value)
    clearing.push(...mine)
  }

  /** Settles a session once per request; a failed attempt (a store outage) is tried again on the next call. */
  const settle = (descriptor: AnySessionDescriptor, read: boolean): Promise<void> | undefined => {
    if (!carried.some(({ source }) => source.into === descriptor)) return undefined
    let pending = settling.get(descriptor)
    if (!pending) {
      pending = settleNow(descriptor, read)
      settling.set(descriptor, pending)
      pending.catch(() => settling.delete(descriptor))
    }
    return pending
  }

  /** `method`, once the legacy cookies of the session it is called for are settled (`read`: taken over). */
  const settledFirst = <TArgs extends [AnySessionDescriptor, ...unknown[]], TResult>(
    method: (...args: TArgs) => Promise<TResult>,
    read: boolean,
  ) => {
    const original = method.bind(sessions)
    return async (...args: TArgs): Promise<TResult> => {
      await settle(args[0], read)
      return original(...args)
    }
  }

  // Every method that reads the session takes over first (the engine's own methods do not call each
  // other's public faces, so each is wrapped).
  sessions.get = settledFirst(sessions.get, true) as RequestSessions['get']
  sessions.take = settledFirst(sessions.take, true) as RequestSessions['take']
  sessions.update = settledFirst(sessions.update, true) as RequestSessions['update']
  sessions.getOrSet = settledFirst(sessions.getOrSet, true) as RequestSessions['getOrSet']
  sessions.id = settledFirst(sessions.id, true)
  sessions.handle = settledFirst(sessions.handle, true)
  sessions.lifetime = settledFirst(sessions.lifetime, true)
  sessions.regenerate = settledFirst(sessions.regenerate, true)
  sessions.set = settledFirst(sessions.set, false) as RequestSessions['set']
  sessions.clear = settledFirst(sessions.clear, false)
  sessions.commit = () => {
    const secure = io.isSecure()
    for (const { source } of clearing.splice(0)) io.appendHeader('set-cookie', source.clearingCookie(secure))
    commit()
  }
  return sessions
}
