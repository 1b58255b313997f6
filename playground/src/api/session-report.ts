import type { InvalidSessionEvent, RequestSessions } from '@tessera/core'
import { describeValue } from '../shared/describe-value'
import type { PlaygroundEngine, SessionName } from './playground-engine'
import { SESSIONS } from './playground-engine'
import { incomingToken } from './request-flags'

/** What the session's protector made of the incoming token, on its own. */
export type TokenCheck =
  | { readonly ok: true; readonly kid: string | null; readonly iat: number; readonly exp: number }
  | { readonly ok: false; readonly reason: string }

/** What the server saw of one session during a request, and what it concluded. */
export interface SessionReport {
  readonly session: SessionName
  /** The token as it arrived (a cookie or the header), null when the request carried none. */
  readonly received: string | null
  /** The protector's verdict on that token: verified (or opened) with its claims, or why not. */
  readonly check: TokenCheck | null
  /** The engine's value after the request's reads and writes, as text; null when absent. */
  readonly value: string | null
  /** Why the engine read the incoming session as absent, when it did (`onInvalid`'s reason). */
  readonly reason: string | null
  /** The id of a server-stored session (the Login), null otherwise or when there is none. */
  readonly id: string | null
}

/** One request as the API handlers see it: the request, its sessions and the engine's complaints. */
export interface ApiCall {
  readonly request: Request
  readonly sessions: RequestSessions
  /** What `onInvalid` reported during this request so far. */
  readonly invalid: readonly InvalidSessionEvent[]
}

/**
 * Reports on one session: the incoming token, the protector's look at it, and the engine's value.
 * Reading the value is what makes the engine refuse a bad token and clear it in the response.
 *
 * @example const report = await reportOn(call, playground, 'cart')
 */
export async function reportOn(
  call: ApiCall,
  playground: PlaygroundEngine,
  name: SessionName,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<SessionReport> {
  const descriptor = SESSIONS[name]
  const received = incomingToken((header) => call.request.headers.get(header) ?? undefined, descriptor)
  let check: TokenCheck | null = null
  if (received !== null) {
    const opened = await playground.inspect(descriptor, received, nowSeconds)
    check = opened.ok
      ? { ok: true, kid: opened.kid, iat: opened.iat, exp: opened.exp }
      : { ok: false, reason: opened.reason }
  }
  const value = await call.sessions.get(descriptor)
  const id = descriptor.storage === 'server' ? await call.sessions.id(descriptor) : null
  const reason = call.invalid.find((event) => event.session === name)?.reason ?? null
  return {
    session: name,
    received,
    check,
    value: value === null ? null : describeValue(value),
    reason,
    id,
  }
}
