import type { AnySessionDescriptor, RequestSessions, SessionValue } from '@tessera/core'
import { SessionError } from '@tessera/core'

/**
 * Options of every adapter's `requireSession`: Ktor's `session<T>` authentication provider, with
 * `validate` and a `challenge` that answers 401 or redirects.
 */
export interface RequireSessionOptions<TDescriptor extends AnySessionDescriptor = AnySessionDescriptor> {
  /**
   * Checks a present session further (the user still exists, the role suffices). `false` challenges
   * the request as if there were no session. The session is read once: the handler's own `get`
   * returns the same value without verifying or fetching it again.
   * @default every present, valid session passes
   */
  readonly validate?: ((value: SessionValue<TDescriptor>) => boolean | Promise<boolean>) | undefined
  /**
   * Where to send a request that has no valid session (a login page), with `302 Found`. Without it
   * the answer is `401 Unauthorized` with the body `{"error":"UNAUTHENTICATED"}`.
   * @default undefined: answer 401
   */
  readonly redirect?: string | undefined
}

/** The answer to a request without a valid session, rendered once per `requireSession`. */
export interface Challenge {
  readonly status: 401 | 302
  /** The `Location` header of a redirect. */
  readonly location: string | undefined
  /** JSON for 401, empty for a redirect. */
  readonly body: string
}

const UNAUTHORIZED: Challenge = Object.freeze({
  status: 401,
  location: undefined,
  body: '{"error":"UNAUTHENTICATED"}',
})

/** True when `text` holds a character that could end a header line or smuggle another. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}

/** Renders the challenge of `requireSession`; a redirect target that could split a header is refused. */
export function createChallenge(options: RequireSessionOptions<any> | undefined): Challenge {
  const location = options?.redirect
  if (location === undefined) return UNAUTHORIZED
  if (typeof location !== 'string' || location === '' || hasControlCharacter(location)) {
    throw new SessionError(
      'INVALID_OPTION',
      'requireSession redirect must be a non-empty URL without control characters',
    )
  }
  return Object.freeze({ status: 302, location, body: '' })
}

/** The check of one `requireSession` guard, made once when the guard is made. */
export interface SessionGuard {
  readonly challenge: Challenge
  /**
   * True when `sessions` hold a valid session of the descriptor that passes `validate`. A request
   * without sessions (the adapter not installed before the guard) is `INVALID_OPERATION`; a storage
   * failure rejects with `STORAGE_UNAVAILABLE`, which the adapters answer with 503.
   */
  passes(sessions: RequestSessions | null | undefined): Promise<boolean>
}

/**
 * Makes the check every adapter's `requireSession` runs. Refuses (`INVALID_OPTION`) a session with
 * protection `none`: its token is written by whoever holds it, so a forged one would pass the guard.
 * `install` says how to give the request its sessions, for the error when it has none.
 */
export function createSessionGuard(
  descriptor: AnySessionDescriptor,
  options: RequireSessionOptions<any> | undefined,
  install: string,
): SessionGuard {
  const name = descriptor?.name
  if (descriptor?.protection === 'none') {
    throw new SessionError(
      'INVALID_OPTION',
      `requireSession: session "${name}" has protection "none", so anyone can write its token and a forged one would pass; guard with a signed, sealed or ed25519 session`,
      { session: name },
    )
  }
  const challenge = createChallenge(options)
  const validate = options?.validate as RequireSessionOptions['validate']
  return {
    challenge,
    async passes(sessions) {
      if (!sessions) {
        throw new SessionError(
          'INVALID_OPERATION',
          `requireSession of session "${name}": the request has no sessions; ${install}`,
          { session: name },
        )
      }
      const value = await sessions.get(descriptor)
      if (value === null) return false
      return validate === undefined || (await validate(value)) === true
    },
  }
}
