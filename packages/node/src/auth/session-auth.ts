import type { AnySessionDescriptor, Awaitable, RequestSessions, SessionValue } from '@tessera/core'
import { SessionError } from '@tessera/core'

/**
 * Why `requireSession` challenged a request: `missing`, no valid session (absent, expired, tampered);
 * `rejected`, a valid session that `validate` refused.
 */
export type ChallengeReason = 'missing' | 'rejected'

/** What a custom `challenge` is told; never the token or the session's value. */
export interface ChallengeContext {
  /** The session's name. */
  readonly session: string
  readonly reason: ChallengeReason
}

/**
 * The answer to a request that `requireSession` turns away, the same on every adapter. A string body
 * is sent as is (`text/plain; charset=utf-8` unless `headers` name a content type), any other body as
 * JSON; no body, an empty one.
 *
 * @example { status: 403, body: { error: 'LOGIN_REQUIRED', login: '/login' } }
 */
export interface ChallengeResponse {
  /** An HTTP status from 300 to 599. */
  readonly status: number
  readonly body?: unknown
  /** Header names and values; no control characters. */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * Options of every adapter's `requireSession`: Ktor's `session<T>` authentication provider, with a
 * `validate` that gives the principal and a `challenge` of the app's choosing.
 *
 * @typeParam TPrincipal - what `validate` returns for a request it lets through; the session's value
 * when it returns `true` or is not given
 */
export interface RequireSessionOptions<
  TDescriptor extends AnySessionDescriptor = AnySessionDescriptor,
  TPrincipal = SessionValue<TDescriptor>,
> {
  /**
   * Checks a present session further (the user still exists, the role suffices) and gives the
   * principal the handler receives (Ktor's `validate { session -> principal }`): a value lets the
   * request through with it as principal, `true` lets it through with the session's value,
   * `false`, null or undefined challenge the request as if there were no session (reason
   * `rejected`). The session is read once: the handler's own `get` returns the same value without
   * verifying or fetching it again.
   * @default every present, valid session passes, its value the principal
   */
  readonly validate?:
    | ((value: SessionValue<TDescriptor>) => Awaitable<TPrincipal | boolean | null | undefined>)
    | undefined
  /**
   * Where to send a request that has no valid session (a login page), with `302 Found`. Give this or
   * `challenge`, not both.
   * @default undefined: answer 401 with the body `{"error":"UNAUTHENTICATED"}`
   */
  readonly redirect?: string | undefined
  /**
   * The answer to a request without a valid session (Ktor's `challenge { … }`): a fixed
   * {@link ChallengeResponse}, or a function of why the request was turned away. Give this or
   * `redirect`, not both.
   * @default 401 with the body `{"error":"UNAUTHENTICATED"}`
   */
  readonly challenge?:
    | ChallengeResponse
    | ((context: ChallengeContext) => Awaitable<ChallengeResponse>)
    | undefined
}

/**
 * The principal a guard gives its handler: what `validate` returns, less `true`/`false` (a `validate`
 * that returns only booleans gives the session's value).
 */
export type PrincipalOf<TDescriptor extends AnySessionDescriptor, TPrincipal> = [
  Exclude<TPrincipal, boolean>,
] extends [never]
  ? SessionValue<TDescriptor>
  : Exclude<TPrincipal, boolean>

/** A challenge rendered for the wire: status, headers (lowercase names) and body text. */
export interface Challenge {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const JSON_TYPE = 'application/json; charset=utf-8'

const UNAUTHORIZED: Challenge = Object.freeze({
  status: 401,
  headers: Object.freeze({ 'content-type': JSON_TYPE }),
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

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

const invalidChallenge = (rule: string) =>
  new SessionError('INVALID_OPTION', `requireSession challenge: ${rule}`)

/** Checks and renders a {@link ChallengeResponse} (`INVALID_OPTION` when it cannot be sent safely). */
export function renderChallenge(response: ChallengeResponse): Challenge {
  if (typeof response !== 'object' || response === null)
    throw invalidChallenge('give { status, body?, headers? }')
  const { status, body, headers = {} } = response
  if (!Number.isInteger(status) || status < 300 || status > 599) {
    throw invalidChallenge('status must be an integer from 300 to 599')
  }
  const rendered: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || typeof value !== 'string' || hasControlCharacter(value)) {
      throw invalidChallenge('header names must be tokens and values free of control characters')
    }
    rendered[name.toLowerCase()] = value
  }
  let text = ''
  if (typeof body === 'string') {
    text = body
    rendered['content-type'] ??= 'text/plain; charset=utf-8'
  } else if (body !== undefined) {
    text = JSON.stringify(body) ?? ''
    rendered['content-type'] ??= JSON_TYPE
  }
  return Object.freeze({ status, headers: Object.freeze(rendered), body: text })
}

/** The challenge of `redirect`: 302 to it; a target that could split a header is refused. */
function redirectChallenge(location: unknown): Challenge {
  if (typeof location !== 'string' || location === '' || hasControlCharacter(location)) {
    throw new SessionError(
      'INVALID_OPTION',
      'requireSession redirect must be a non-empty URL without control characters',
    )
  }
  return Object.freeze({ status: 302, headers: Object.freeze({ location }), body: '' })
}

/**
 * Makes the challenge of `requireSession` once: from `redirect`, a fixed `challenge`, or the default
 * 401; a `challenge` function is rendered per request instead.
 */
function challengeOf(
  options: RequireSessionOptions<any, unknown> | undefined,
): (context: ChallengeContext) => Promise<Challenge> {
  if (options?.redirect !== undefined && options.challenge !== undefined) {
    throw new SessionError('INVALID_OPTION', 'requireSession takes redirect or challenge, not both')
  }
  const custom = options?.challenge
  if (typeof custom === 'function') return async (context) => renderChallenge(await custom(context))
  const fixed =
    custom !== undefined
      ? renderChallenge(custom)
      : options?.redirect !== undefined
        ? redirectChallenge(options.redirect)
        : UNAUTHORIZED
  return async () => fixed
}

/** The outcome of a guard's check: through with a principal, or turned away with a challenge. */
export type GuardOutcome<TPrincipal> =
  | { readonly passed: true; readonly principal: TPrincipal }
  | { readonly passed: false; readonly challenge: Challenge }

/** The check of one `requireSession` guard, made once when the guard is made. */
export interface SessionGuard<TPrincipal = unknown> {
  /**
   * Lets `sessions` through when they hold a valid session of the descriptor that passes `validate`
   * (with the principal), or gives the challenge to answer. A request without sessions (the adapter
   * not installed before the guard) is `INVALID_OPERATION`; a storage failure rejects with
   * `STORAGE_UNAVAILABLE`, which the adapters answer with 503.
   */
  check(sessions: RequestSessions | null | undefined): Promise<GuardOutcome<TPrincipal>>
  /** Remembers the principal of a request that passed, for {@link SessionGuard.principal}. */
  remember(request: object, principal: TPrincipal): void
  /** The principal of a request this guard let through; `INVALID_OPERATION` for any other request. */
  principal(request: object): TPrincipal
}

/** The option names `requireSession` accepts. */
const GUARD_OPTIONS = ['validate', 'redirect', 'challenge']

/**
 * Makes the check every adapter's `requireSession` runs. Refuses (`INVALID_OPTION`) a session with
 * protection `none`: its token is written by whoever holds it, so a forged one would pass the guard.
 * `install` says how to give the request its sessions, for the error when it has none.
 */
export function createSessionGuard<TPrincipal>(
  descriptor: AnySessionDescriptor,
  options: RequireSessionOptions<any, TPrincipal> | undefined,
  install: string,
): SessionGuard<TPrincipal> {
  const name = descriptor?.name
  if (descriptor?.protection === 'none') {
    throw new SessionError(
      'INVALID_OPTION',
      `requireSession: session "${name}" has protection "none", so anyone can write its token and a forged one would pass; guard with a signed, sealed or ed25519 session`,
      { session: name },
    )
  }
  for (const option of Object.keys(options ?? {})) {
    if (!GUARD_OPTIONS.includes(option)) {
      throw new SessionError(
        'INVALID_OPTION',
        `requireSession: unknown option ${JSON.stringify(option.slice(0, 64))}; known options: ${GUARD_OPTIONS.join(', ')}`,
        { session: name },
      )
    }
  }
  const challenge = challengeOf(options)
  const validate = options?.validate
  const principals = new WeakMap<object, { readonly principal: TPrincipal }>()
  const turnAway = async (reason: ChallengeReason) =>
    ({ passed: false, challenge: await challenge({ session: name, reason }) }) as const
  return {
    async check(sessions) {
      if (!sessions) {
        throw new SessionError(
          'INVALID_OPERATION',
          `requireSession of session "${name}": the request has no sessions; ${install}`,
          { session: name },
        )
      }
      const value = await sessions.get(descriptor)
      if (value === null) return turnAway('missing')
      if (validate === undefined) return { passed: true, principal: value as TPrincipal }
      const verdict = await validate(value)
      if (verdict === false || verdict === null || verdict === undefined) return turnAway('rejected')
      return { passed: true, principal: (verdict === true ? value : verdict) as TPrincipal }
    },
    remember(request, principal) {
      principals.set(request, { principal })
    },
    principal(request) {
      const entry = principals.get(request)
      if (!entry) {
        throw new SessionError(
          'INVALID_OPERATION',
          `requireSession of session "${name}": no principal for this request; read it after the guard let the request through`,
          { session: name },
        )
      }
      return entry.principal
    },
  }
}
