import type { SessionErrorCode } from '@tessera/core'
import { isSessionError } from '@tessera/core'

/**
 * The HTTP status every adapter answers for a {@link SessionError} that escapes a handler: the one
 * table of `@tessera/node`.
 *
 * - `STORAGE_UNAVAILABLE` → 503: the session storage is down; the request may succeed later.
 * - `CONFLICT` → 409: a concurrent request changed the server-stored session first; re-read and retry.
 * - `TOKEN_INVALID` → 400, `TOKEN_EXPIRED` and `TOKEN_USED` → 410: a data token (a magic link, a
 *   reset link) the client brought does not open, has expired, or was used already.
 * - everything else → 500: a configuration or programming error of the server, not of the client.
 *   `TOO_LARGE` is among them: the server tried to write a cookie over the browser limit, which
 *   says nothing about the size of the request (413 would blame the client).
 *   `INVALID_VALUE` too: the server handed `set` a value that fails the session's own schema.
 *   And `REDIRECT_BLOCKED`: the server's own session client (`client.fetch`) was redirected away
 *   from its `origins` by an upstream.
 *
 * @example
 * sessionErrorStatus.STORAGE_UNAVAILABLE // 503
 */
export const sessionErrorStatus: Readonly<Record<SessionErrorCode, number>> = Object.freeze({
  INVALID_NAME: 500,
  INVALID_OPTION: 500,
  DUPLICATE: 500,
  NOT_REGISTERED: 500,
  INVALID_KEY: 500,
  INVALID_VALUE: 500,
  ENCODE_FAILED: 500,
  TOO_LARGE: 500,
  RESPONSE_COMMITTED: 500,
  STORAGE_UNAVAILABLE: 503,
  CONFLICT: 409,
  UNSUPPORTED: 500,
  INVALID_OPERATION: 500,
  REDIRECT_BLOCKED: 500,
  TOKEN_INVALID: 400,
  TOKEN_EXPIRED: 410,
  TOKEN_USED: 410,
})

/** What an adapter sends for a session error: a status and a JSON body that names no session, id or value. */
export interface SessionErrorResponse {
  readonly status: number
  /** `{"error":"<code>"}` for 409 and 503 (the client can act on them), `{"error":"SESSION_ERROR"}` for 500. */
  readonly body: string
}

const answer = (code: string, status: number): SessionErrorResponse =>
  Object.freeze({ status, body: JSON.stringify({ error: status === 500 ? 'SESSION_ERROR' : code }) })

const responses = new Map<string, SessionErrorResponse>(
  Object.entries(sessionErrorStatus).map(([code, status]) => [code, answer(code, status)]),
)
/** For a code this copy of the table does not know (an error from a newer copy of core). */
const UNKNOWN = answer('SESSION_ERROR', 500)

/**
 * The response for `error` when it is a {@link SessionError} (from any copy of tessera), otherwise
 * undefined: other errors stay the application's.
 *
 * @example
 * const answer = sessionErrorResponse(error)
 * if (answer) return new Response(answer.body, { status: answer.status })
 */
export function sessionErrorResponse(error: unknown): SessionErrorResponse | undefined {
  return isSessionError(error) ? (responses.get(error.code) ?? UNKNOWN) : undefined
}
