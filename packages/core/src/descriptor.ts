import type { SessionCodec } from './codec/codec'
import { superjsonCodec } from './codec/superjson-codec'
import { KEY_ID } from './crypto/key-ring'
import type { Duration } from './duration'
import { toSeconds } from './duration'
import { decodeBase64url } from './encoding/base64url'
import { isSessionError, SessionError } from './errors'
import type { StandardSchemaV1 } from './standard-schema'
import type { Protection } from './wire/token'

/** How the session travels: in a cookie, or in a request/response header of the session's name. */
export type Transport = 'cookie' | 'header'
/** Where the value lives: `client`, the whole value travels; `server`, a storage holds it and an id travels. */
export type StorageKind = 'client' | 'server'
/** Who may read the value: `server` only, or the browser too (non-HttpOnly cookie, verifiable signature). */
export type Visibility = 'server' | 'client'

/** Options of {@link defineSession}; everything here is shared by browser and server. */
export interface SessionOptions<T = unknown> {
  /**
   * A Standard Schema validator (zod, valibot, arktype...). Values that fail it read as absent and are
   * refused by `set`. Gives the value type when no type parameter does.
   */
  readonly schema?: StandardSchemaV1<unknown, T> | undefined
  /** @default 'cookie' */
  readonly transport?: Transport | undefined
  /** @default 'client' */
  readonly storage?: StorageKind | undefined
  /** @default 'server' */
  readonly visibility?: Visibility | undefined
  /**
   * How the token is protected. `signed`: HMAC-SHA256, verified by the server. `sealed`:
   * XSalsa20-Poly1305, unreadable without the secret. `ed25519`: signed by the server, verifiable in
   * the browser with a public key. `none`: a value the browser owns, checked by the schema only.
   * @default 'signed' for server storage, 'ed25519' for client-visible values, else 'sealed'
   */
  readonly protection?: Protection | undefined
  /**
   * Lifetime carried inside the authenticated token (and the storage TTL). `idle`: the session ends
   * after this long without use; it is renewed on use (at most once per half of it). `absolute`: the
   * session ends this long after it began, however active. `null` turns one off.
   * @default { idle: '7d', absolute: null }
   */
  readonly expiry?: { readonly idle?: Duration | null; readonly absolute?: Duration | null } | undefined
  /** Turns values into text and back. @default superjsonCodec */
  readonly codec?: SessionCodec<T> | undefined
  /**
   * Ed25519 public keys by key id (base64url, 32 bytes), for browsers that verify this session.
   * The server prints them with `sessions.publicKeys()`. Only for the `ed25519` protection; a
   * malformed key is refused here (`INVALID_OPTION`) rather than failing later in the browser.
   */
  readonly publicKeys?: Readonly<Record<string, string>> | undefined
}

type Pick1<TOptions, TKey extends string, TDefault> = TOptions extends { readonly [K in TKey]: infer TValue }
  ? undefined extends TValue
    ? TDefault
    : TValue
  : TDefault

/** The access a descriptor's options resolve to, defaults applied, as literal types. */
export interface SessionAccess {
  readonly transport: Transport
  readonly storage: StorageKind
  readonly visibility: Visibility
  readonly protection: Protection
}

export type ResolveAccess<TOptions> = {
  readonly transport: Pick1<TOptions, 'transport', 'cookie'>
  readonly storage: Pick1<TOptions, 'storage', 'client'>
  readonly visibility: Pick1<TOptions, 'visibility', 'server'>
  readonly protection: Pick1<
    TOptions,
    'protection',
    Pick1<TOptions, 'storage', 'client'> extends 'server'
      ? 'signed'
      : Pick1<TOptions, 'visibility', 'server'> extends 'client'
        ? 'ed25519'
        : 'sealed'
  >
}

/**
 * A typed session definition, shared by browser and server. Create it with {@link defineSession}.
 * `T` is the value type; `TAccess` records transport, storage, visibility and protection as literals.
 */
export interface SessionDescriptor<T = unknown, TAccess extends SessionAccess = SessionAccess> {
  readonly name: string
  readonly transport: TAccess['transport']
  readonly storage: TAccess['storage']
  readonly visibility: TAccess['visibility']
  readonly protection: TAccess['protection']
  readonly schema: StandardSchemaV1<unknown, T> | undefined
  readonly codec: SessionCodec<T>
  /** Seconds; null when that limit is off. */
  readonly expiry: { readonly idle: number | null; readonly absolute: number | null }
  readonly publicKeys: Readonly<Record<string, string>> | undefined
  /** Type-only: carries `T`. */
  readonly '~value'?: T
}

/** Any descriptor, whatever its value type. */
export type AnySessionDescriptor = SessionDescriptor<any, SessionAccess>

/** The value type of a descriptor. */
export type SessionValue<TDescriptor> = TDescriptor extends SessionDescriptor<infer T, any> ? T : never

type InferValue<TOptions> = TOptions extends { readonly schema: infer TSchema extends StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<TSchema>
  : unknown

/** RFC 7230 token: valid as a cookie name and as a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/
const DEFAULT_IDLE_SECONDS = 7 * 86_400
const PROTECTIONS: readonly unknown[] = ['none', 'signed', 'ed25519', 'sealed'] satisfies Protection[]
const ED25519_PUBLIC_KEY_BYTES = 32

/**
 * Headers a header session must not be named after: the engine reads or writes them itself
 * (a session named `set-cookie` would replace every cookie of the response), or they frame the message.
 */
const RESERVED_HEADERS = new Set([
  'cookie',
  'set-cookie',
  'origin',
  'access-control-expose-headers',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
])

/** Checks a session name against the cookie-name and header-name rules. */
export function assertSessionName(name: string): void {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new SessionError(
      'INVALID_NAME',
      `session name ${JSON.stringify(String(name)).slice(0, 140)} must be 1 to 128 characters of A-Z a-z 0-9 and !#$%&'*+-.^_\`|~ (a cookie and header name)`,
    )
  }
}

function build<T>(name: string, options: SessionOptions<T> = {}): SessionDescriptor<T> {
  assertSessionName(name)
  const transport = options.transport ?? 'cookie'
  const storage = options.storage ?? 'client'
  const visibility = options.visibility ?? 'server'
  const protection: Protection =
    options.protection ?? (storage === 'server' ? 'signed' : visibility === 'client' ? 'ed25519' : 'sealed')
  const problem = (message: string) =>
    new SessionError('INVALID_OPTION', `session "${name}": ${message}`, { session: name })

  if (transport !== 'cookie' && transport !== 'header')
    throw problem('transport must be "cookie" or "header"')
  if (storage !== 'client' && storage !== 'server') throw problem('storage must be "client" or "server"')
  if (visibility !== 'client' && visibility !== 'server')
    throw problem('visibility must be "client" or "server"')
  if (!PROTECTIONS.includes(protection))
    throw problem('protection must be "none", "signed", "ed25519" or "sealed"')
  if (transport === 'header' && RESERVED_HEADERS.has(name.toLowerCase())) {
    throw new SessionError(
      'INVALID_NAME',
      `session "${name}": a header session cannot use a header HTTP or tessera owns`,
      {
        session: name,
      },
    )
  }
  if (storage === 'server' && protection !== 'signed' && protection !== 'none') {
    throw problem('a server-stored session carries only an id: protection must be "signed" or "none"')
  }
  if (visibility === 'client' && storage === 'server') {
    throw problem('a server-stored value cannot be visible to the browser, only its id travels')
  }
  if (visibility === 'client' && protection !== 'ed25519' && protection !== 'none') {
    throw problem(
      'a browser-readable session is protected with "ed25519" (server-written) or "none" (browser-owned)',
    )
  }
  if (options.publicKeys !== undefined) checkPublicKeys(options.publicKeys, protection, problem)
  const seconds = (duration: Duration, option: string): number => {
    try {
      return toSeconds(duration, option)
    } catch (error) {
      throw isSessionError(error) ? problem(error.message) : error
    }
  }
  const idle = options.expiry?.idle
  const absolute = options.expiry?.absolute
  return Object.freeze({
    name,
    transport,
    storage,
    visibility,
    protection,
    schema: options.schema,
    codec: options.codec ?? (superjsonCodec as SessionCodec<T>),
    expiry: Object.freeze({
      idle:
        idle === null
          ? null
          : idle === undefined
            ? DEFAULT_IDLE_SECONDS
            : seconds(idle, 'expiry.idle') || null,
      absolute: absolute == null ? null : seconds(absolute, 'expiry.absolute') || null,
    }),
    publicKeys: options.publicKeys === undefined ? undefined : Object.freeze({ ...options.publicKeys }),
  })
}

/** Public keys are for browsers that verify Ed25519 tokens: key ids of the ring, 32 bytes each. */
function checkPublicKeys(
  publicKeys: Readonly<Record<string, string>>,
  protection: Protection,
  problem: (message: string) => SessionError,
): void {
  if (protection !== 'ed25519') throw problem('publicKeys only apply to the "ed25519" protection')
  for (const [id, key] of Object.entries(publicKeys)) {
    if (!KEY_ID.test(id)) throw problem('a public key id must be 1 to 32 characters of A-Z a-z 0-9 _ -')
    const bytes = typeof key === 'string' ? decodeBase64url(key) : null
    if (bytes?.length !== ED25519_PUBLIC_KEY_BYTES) {
      throw problem(`public key "${id}" must be 32 bytes in unpadded base64url`)
    }
  }
}

/**
 * Defines a session once, for browser and server. Call it with a name and options (the value type
 * comes from `schema`), or with a type parameter first: `defineSession<T>()(name, options)`.
 *
 * @example
 * export const Cart = defineSession('cart', { schema: cartSchema, visibility: 'client' })
 * export const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
 */
export function defineSession<const TOptions extends SessionOptions<any> = {}>(
  name: string,
  options?: TOptions,
): SessionDescriptor<InferValue<TOptions>, ResolveAccess<TOptions>>
export function defineSession<T>(): <const TOptions extends SessionOptions<T> = {}>(
  name: string,
  options?: TOptions,
) => SessionDescriptor<T, ResolveAccess<TOptions>>
export function defineSession(name?: string, options?: SessionOptions<any>): unknown {
  if (name === undefined)
    return (later: string, laterOptions?: SessionOptions<any>) => build(later, laterOptions)
  return build(name, options)
}
