import type { CookieAttributes, CookieEncoding } from '../cookie'
import { cookieAttributes } from '../cookie'
import type { KeyRing } from '../crypto/key-ring'
import type { SessionCrypto } from '../crypto/session-crypto'
import type { AnySessionDescriptor, ExpirySeconds } from '../descriptor'
import { checkDescriptor } from '../descriptor'
import { toSeconds } from '../duration'
import type { InvalidReason, SessionErrorCode } from '../errors'
import { isSessionError, SessionError } from '../errors'
import type { SessionTransformer } from '../session-rules'
import type { SessionStorage } from '../storage/session-storage'
import type { Protector } from '../wire/protector'
import {
  createProtector,
  DEFAULT_TOKEN_CACHE,
  sealingNonceOf,
  withSealingNonce,
  withTokenCache,
} from '../wire/protector'
import type {
  CookieSessionOptions,
  HeaderSessionOptions,
  IdentityContext,
  SessionConfig,
} from './session-config'

/** Reported to `onInvalid` when an incoming session reads as absent; never carries the token. */
export interface InvalidSessionEvent {
  readonly session: string
  readonly reason: InvalidReason
}

/**
 * Reported to `onError` when a session operation fails with a {@link SessionError}: only what is safe
 * to log. Never the value, the token, the id, a secret or the error's `cause`.
 *
 * @example
 * createSessions({ secret, sessions, onError: (event) => logger.warn(event, 'session error') })
 */
export interface SessionErrorEvent {
  /** The error's code (`INVALID_VALUE` for a value that fails the schema, say). */
  readonly code: SessionErrorCode
  /** The session's name, when the error concerns one. */
  readonly session: string | undefined
  /** What failed: `'set'`, `'get'`, `'update'`, `'commit'`, `'invalidate'`… */
  readonly operation: SessionOperation
  /** Why, in words; tessera's messages never quote a value, a token or a secret. */
  readonly message: string
}

/** The operations {@link SessionErrorEvent} names. */
export type SessionOperation =
  | 'get'
  | 'set'
  | 'clear'
  | 'take'
  | 'update'
  | 'getOrSet'
  | 'regenerate'
  | 'id'
  | 'commit'
  | 'invalidate'
  | 'invalidateOwner'
  | 'listSessions'
  | 'readSession'
  | 'replaceSession'
  | 'endSession'

/**
 * Tells `onError` of a failed operation, when the error is a {@link SessionError} (an app's own error,
 * thrown by an `update` function say, is the app's to log). A hook that throws is ignored: logging
 * must not change what the caller sees.
 */
export function reportError(
  onError: ((event: SessionErrorEvent) => void) | undefined,
  operation: SessionOperation,
  error: unknown,
): void {
  if (!onError || !isSessionError(error)) return
  try {
    onError({ code: error.code, session: error.session, operation, message: error.message })
  } catch {
    // The caller gets the original error either way.
  }
}

/**
 * One registered session, resolved once when the engine is created: everything a request needs,
 * checked and precomputed. Its `idle` and `absolute` are the descriptor's expiry in seconds.
 */
export interface Binding extends ExpirySeconds {
  readonly index: number
  readonly descriptor: AnySessionDescriptor
  readonly name: string
  /** Lowercase header name for reading header sessions. */
  readonly headerKey: string
  readonly protector: Protector
  readonly transformers: readonly SessionTransformer[]
  /** Set for server-stored sessions. */
  readonly storage: SessionStorage | undefined
  readonly identity: ((context: IdentityContext) => string) | undefined
  readonly skipEqualWrites: boolean
  readonly merge: ((mine: any, theirs: any) => any) | undefined
  readonly maxRetries: number
  readonly owner: ((value: any) => string | undefined) | undefined
  /** Set for cookie sessions. */
  readonly cookie:
    | {
        readonly attributes: CookieAttributes
        readonly encoding: CookieEncoding
        /** Seconds; null: browser-session cookie; undefined: follow the token's expiry. */
        readonly maxAge: number | null | undefined
        /** Most cookies one token may be split across; 1 when chunking is off. */
        readonly maxChunks: number
      }
    | undefined
  readonly exposeHeader: boolean
}

/** What a request's sessions need from their engine. */
export interface EngineInternals {
  readonly bindings: readonly Binding[]
  binding(descriptor: AnySessionDescriptor): Binding
  nowSeconds(): number
  randomId(): string
  /** The handle a listing gives the server-stored session `id` (engine/session-admin.ts). */
  handleOf(binding: Binding, id: string): Promise<string>
  readonly onInvalid: ((event: InvalidSessionEvent) => void) | undefined
  readonly onError: ((event: SessionErrorEvent) => void) | undefined
}

/** What every session of an engine shares. */
export interface EngineParts {
  readonly crypto: SessionCrypto
  readonly ring: KeyRing | undefined
  /** The engine's options, where a test may have put fixed sealing nonces (`withSealingNonce`). */
  readonly options: object
  /** The engine's shared storage, created on first need. */
  readonly defaultStorage: () => SessionStorage
}

/**
 * Registers one session: checks its descriptor and options (`INVALID_OPTION`, `INVALID_NAME`,
 * `INVALID_KEY`), prepares its protector, and precomputes its cookie attributes.
 */
export function createBinding(index: number, config: SessionConfig, parts: EngineParts): Binding {
  const { descriptor } = config
  // What defineSession leaves unchecked fails here, at start-up, before anything else of the session.
  const expiry = checkDescriptor(descriptor)
  const options = (config.options ?? {}) as CookieSessionOptions & HeaderSessionOptions
  const name = descriptor.name
  const fail = (rule: string): never => {
    throw new SessionError('INVALID_OPTION', `session "${name}": ${rule}`, { session: name })
  }
  if ('transport' in options) fail('transport belongs to the descriptor')
  const maxRetries = options.maxRetries ?? 10
  if (!Number.isInteger(maxRetries) || maxRetries < 1) fail('maxRetries must be a positive integer')
  const tokenCache = options.tokenCache ?? DEFAULT_TOKEN_CACHE
  if (!Number.isInteger(tokenCache) || tokenCache < 0) fail('tokenCache must be a count (0 to turn it off)')
  const encoding = options.encoding ?? 'raw'
  if (encoding !== 'raw' && encoding !== 'uri' && encoding !== 'base64url') {
    fail('encoding must be "raw", "uri" or "base64url"')
  }
  const isCookie = descriptor.transport === 'cookie'
  const chunking = isCookie ? options.chunking : undefined
  const maxChunks = chunking === true ? 3 : chunking ? chunking.maxChunks : 1
  if (!Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > 99) {
    fail('chunking.maxChunks must be an integer from 1 to 99')
  }
  const cookieMaxAge: number | null | undefined = !isCookie
    ? undefined
    : options.maxAge === undefined || options.maxAge === null
      ? options.maxAge
      : toSeconds(options.maxAge, `cookie "${name}" maxAge`)
  // Ktor's `cookie.maxAge = 30.days` is a 30-day session: a cookie lifetime given without an expiry
  // in the descriptor is the session's lifetime (idle, renewed on use), and the cookie follows it.
  const lifetimeFromMaxAge =
    typeof cookieMaxAge === 'number' && cookieMaxAge > 0 && descriptor.expiry === undefined
  const protectorOptions = { protection: descriptor.protection, name, crypto: parts.crypto, ring: parts.ring }
  // Sealing nonces are random; tests alone fix them, through withSealingNonce.
  const nonce = sealingNonceOf(parts.options)
  const protector = createProtector(nonce ? withSealingNonce(protectorOptions, nonce) : protectorOptions)
  return {
    index,
    descriptor,
    name,
    headerKey: name.toLowerCase(),
    protector: withTokenCache(protector, tokenCache),
    transformers: options.transformers ?? [],
    storage: descriptor.storage === 'server' ? (options.storage ?? parts.defaultStorage()) : undefined,
    identity: options.identity,
    skipEqualWrites: options.skipEqualWrites ?? true,
    merge: options.merge,
    maxRetries,
    owner: options.owner,
    idle: lifetimeFromMaxAge ? cookieMaxAge : expiry.idle,
    absolute: lifetimeFromMaxAge ? null : expiry.absolute,
    cookie: isCookie
      ? {
          attributes: cookieAttributes(name, {
            ...options,
            httpOnly: options.httpOnly ?? descriptor.visibility !== 'client',
          }),
          encoding,
          maxAge: lifetimeFromMaxAge ? undefined : cookieMaxAge,
          maxChunks,
        }
      : undefined,
    exposeHeader: options.exposeHeader ?? true,
  }
}
