/**
 * Every error tessera throws is a {@link SessionError} with one of these codes. Messages name the
 * session and the problem, never a token, a secret or a session value.
 */
export const SessionErrorCode = {
  /** A session name breaks the cookie-name or header-name rules. */
  INVALID_NAME: 'INVALID_NAME',
  /** An option has a value tessera cannot use (a negative max age, an unknown encoding...). */
  INVALID_OPTION: 'INVALID_OPTION',
  /** Two registered sessions share a name or a descriptor. */
  DUPLICATE: 'DUPLICATE',
  /** A descriptor was used with an engine or client that does not know it. */
  NOT_REGISTERED: 'NOT_REGISTERED',
  /** A secret is shorter than 32 bytes, a key id is malformed, or no key is given where one is needed. */
  INVALID_KEY: 'INVALID_KEY',
  /** A value given to `set` fails the descriptor's schema, or is null/undefined. */
  INVALID_VALUE: 'INVALID_VALUE',
  /** A value could not be encoded by the session's codec. */
  ENCODE_FAILED: 'ENCODE_FAILED',
  /** The cookie would exceed the browser limit of 4096 bytes. */
  TOO_LARGE: 'TOO_LARGE',
  /** `set` or `clear` was called after the response headers were sent. */
  RESPONSE_COMMITTED: 'RESPONSE_COMMITTED',
  /** The session storage could not be reached or failed. */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /** A concurrent request changed the stored session first, and no merge function resolved it. */
  CONFLICT: 'CONFLICT',
  /** The runtime lacks a primitive tessera needs (no WebCrypto, say). */
  UNSUPPORTED: 'UNSUPPORTED',
  /** An operation does not apply to this kind of session (regenerate on a header-less session...). */
  INVALID_OPERATION: 'INVALID_OPERATION',
  /**
   * The browser client did not follow a redirect of a request that carries a header session: it led
   * outside the client's `origins`, or the browser hid where it led (an opaque redirect).
   */
  REDIRECT_BLOCKED: 'REDIRECT_BLOCKED',
  /** A data token (`unseal`, `verify`) is malformed, forged, of another purpose or of an unknown key. */
  TOKEN_INVALID: 'TOKEN_INVALID',
  /** A data token is past its expiry. */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** A one-time data token was already opened. */
  TOKEN_USED: 'TOKEN_USED',
} as const

export type SessionErrorCode = (typeof SessionErrorCode)[keyof typeof SessionErrorCode]

const BRAND = Symbol.for('tessera.SessionError')

/**
 * The one error class of tessera. Recognise it with `instanceof` or, across two copies of the
 * package, with {@link isSessionError}.
 *
 * @example
 * try { await sessions.set(Cart, cart) } catch (error) {
 *   if (isSessionError(error, 'TOO_LARGE')) return res.status(413).end()
 *   throw error
 * }
 */
export class SessionError extends Error {
  override readonly name = 'SessionError'
  readonly code: SessionErrorCode
  /** The session the error concerns, when there is one. */
  readonly session: string | undefined
  readonly [BRAND] = true

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown; session?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.session = options?.session
  }
}

/** True when `error` is a {@link SessionError} (from any copy of tessera), optionally with `code`. */
export function isSessionError(error: unknown, code?: SessionErrorCode): error is SessionError {
  if (typeof error !== 'object' || error === null || (error as Record<symbol, unknown>)[BRAND] !== true) {
    return false
  }
  return code === undefined || (error as SessionError).code === code
}

/**
 * Why a session read as absent. Passed to `onInvalid` hooks; never thrown to the caller of `get`.
 */
export const InvalidReason = {
  /** The token does not have the v1 layout, or a part is not valid base64url. */
  MALFORMED: 'MALFORMED',
  /** The token uses another protection than the session is configured with. */
  WRONG_PROTECTION: 'WRONG_PROTECTION',
  /** The key id names no key in the ring. */
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  /** The tag or signature does not verify (tampered, wrong session name, wrong key). */
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  /** The expiry inside the token has passed. */
  EXPIRED: 'EXPIRED',
  /** A transformer refused the value on read. */
  TRANSFORM_FAILED: 'TRANSFORM_FAILED',
  /** The codec could not decode the payload. */
  DECODE_FAILED: 'DECODE_FAILED',
  /** The decoded value fails the descriptor's schema. */
  SCHEMA_FAILED: 'SCHEMA_FAILED',
  /** A server-side session id is not (or no longer) in the storage. */
  NOT_FOUND: 'NOT_FOUND',
  /** A chunked cookie is missing a chunk. */
  CHUNK_MISSING: 'CHUNK_MISSING',
} as const

export type InvalidReason = (typeof InvalidReason)[keyof typeof InvalidReason]
