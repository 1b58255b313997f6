import type { SessionCodec } from '../codec/codec'
import type { SessionTransformer } from '../codec/transformer'
import type { AnySessionDescriptor } from '../descriptor'
import type { ExpirySeconds } from '../descriptor-expiry'
import { toSeconds } from '../duration'
import { SessionError } from '../errors'
import type { SessionStorage } from '../storage/session-storage'
import type { CookieEncoding } from '../transport/cookie'
import type { CookieAttributes } from '../transport/cookie-writing'
import { cookieAttributes } from '../transport/cookie-writing'
import type { Protector } from '../wire/protector'
import type {
  CookieSessionOptions,
  HeaderSessionOptions,
  IdentityContext,
  SessionConfig,
} from './session-config'

/** One registered session, resolved once at engine creation: everything a request needs, precomputed. */
export interface Binding {
  readonly index: number
  readonly descriptor: AnySessionDescriptor
  readonly name: string
  /** Lowercase header name for reading header sessions. */
  readonly headerKey: string
  readonly protector: Protector
  readonly codec: SessionCodec<any>
  readonly transformers: readonly SessionTransformer[]
  /** Set for server-stored sessions. */
  readonly storage: SessionStorage | undefined
  readonly identity: ((context: IdentityContext) => string) | undefined
  readonly skipEqualWrites: boolean
  readonly merge: ((mine: any, theirs: any) => any) | undefined
  readonly maxRetries: number
  readonly owner: ((value: any) => string | undefined) | undefined
  /** The descriptor's expiry in seconds (checkDescriptor); null where that limit is off. */
  readonly idle: number | null
  readonly absolute: number | null
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

/** What the engine resolved for a session before binding it. */
export interface BindingParts {
  readonly protector: Protector
  /** The descriptor's expiry, checked and converted by `checkDescriptor`. */
  readonly expiry: ExpirySeconds
  /** The engine's shared storage, created on first need. */
  readonly defaultStorage: () => SessionStorage
}

export function createBinding(
  index: number,
  config: SessionConfig,
  { protector, expiry, defaultStorage }: BindingParts,
): Binding {
  const { descriptor } = config
  const options = config.options as CookieSessionOptions & HeaderSessionOptions
  const name = descriptor.name
  const isCookie = descriptor.transport === 'cookie'
  const maxRetries = options.maxRetries ?? 10
  if (!Number.isInteger(maxRetries) || maxRetries < 1) {
    throw new SessionError('INVALID_OPTION', `session "${name}": maxRetries must be a positive integer`, {
      session: name,
    })
  }
  const encoding = options.encoding ?? 'raw'
  if (encoding !== 'raw' && encoding !== 'uri' && encoding !== 'base64url') {
    throw new SessionError(
      'INVALID_OPTION',
      `cookie "${name}": encoding must be "raw", "uri" or "base64url"`,
      {
        session: name,
      },
    )
  }
  const serverStored = descriptor.storage === 'server'
  const chunking = isCookie ? (options as CookieSessionOptions).chunking : undefined
  const maxChunks = chunking === true ? 3 : chunking ? chunking.maxChunks : 1
  if (!Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > 99) {
    throw new SessionError(
      'INVALID_OPTION',
      `cookie "${name}": chunking.maxChunks must be an integer from 1 to 99`,
      {
        session: name,
      },
    )
  }
  return {
    index,
    descriptor,
    name,
    headerKey: name.toLowerCase(),
    protector,
    codec: descriptor.codec,
    transformers: options.transformers ?? [],
    storage: serverStored ? (options.storage ?? defaultStorage()) : undefined,
    identity: options.identity,
    skipEqualWrites: options.skipEqualWrites ?? true,
    merge: options.merge,
    maxRetries,
    owner: options.owner,
    idle: expiry.idle,
    absolute: expiry.absolute,
    cookie: isCookie
      ? {
          attributes: cookieAttributes(name, {
            ...options,
            httpOnly: options.httpOnly ?? descriptor.visibility !== 'client',
          }),
          encoding,
          maxAge:
            options.maxAge === undefined || options.maxAge === null
              ? options.maxAge
              : toSeconds(options.maxAge, `cookie "${name}" maxAge`),
          maxChunks,
        }
      : undefined,
    exposeHeader: options.exposeHeader ?? true,
  }
}
