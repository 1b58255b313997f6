import type { SessionCodec } from './codec'
import { superjsonCodec } from './codec'
import { KEY_ID } from './crypto/key-ring'
import { ED25519_KEY_BYTES } from './crypto/session-crypto'
import type { Duration } from './duration'
import { toSeconds } from './duration'
import { decodeBase64url } from './encoding'
import { SessionError } from './errors'
import { assertKnownOptions, EXPIRY_OPTIONS, SESSION_OPTIONS } from './option-names'
import type { StandardSchemaV1 } from './standard-schema'
import type { Protection } from './wire/token'

/** How the session travels: in a cookie, or in a request/response header of the session's name. */
export type Transport = 'cookie' | 'header'
/** Where the value lives: `client`, the whole value travels; `server`, a storage holds it and an id travels. */
export type StorageKind = 'client' | 'server'
/** Who may read the value: `server` only, or the browser too (non-HttpOnly cookie, verifiable signature). */
export type Visibility = 'server' | 'client'

/**
 * A session's lifetime, as durations. `idle`: the session ends after this long without use; it is
 * renewed on use (at most once per half of it). `absolute`: the session ends this long after it
 * began, however active. `null` turns one off.
 *
 * @example
 * const expiry: SessionExpiry = { idle: '30m', absolute: '12h' }
 */
export interface SessionExpiry {
  /** @default '7d' */
  readonly idle?: Duration | null | undefined
  /** @default null */
  readonly absolute?: Duration | null | undefined
}

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
   * Lifetime carried inside the authenticated token (and the storage TTL); see {@link SessionExpiry}.
   * Checked when a server registers the session.
   * @default { idle: '7d', absolute: null }
   */
  readonly expiry?: SessionExpiry | undefined
  /** Turns values into text and back. @default superjsonCodec */
  readonly codec?: SessionCodec<T> | undefined
  /**
   * Ed25519 public keys by key id (base64url, 32 bytes), for browsers that verify this session.
   * The server prints them with `sessions.publicKeys()`. Only for the `ed25519` protection; a
   * malformed key is refused (`INVALID_OPTION`) by the server when it registers the session, and by
   * the browser client that is given it.
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
 * What `defineSession<T>(name)` passes as options: a value type, given where `defineSession<T>()`
 * (a call of its own) belongs. Admitted so that the name's type can say what to write.
 */
type ValueTypeGiven = Readonly<Record<string, unknown>>

/** The one protection among `TAllowed` the options may resolve to; never when none can. */
type Allowed<TProtection, TAllowed> = [Extract<TProtection, TAllowed>] extends [never] ? false : true

/** Why options no session can have are refused, or never when they are possible. */
type OptionsProblem<TOptions, TAccess extends SessionAccess = ResolveAccess<TOptions>> = [
  TAccess['storage'],
] extends ['server']
  ? [TAccess['visibility']] extends ['client']
    ? "storage 'server' cannot be visible to the client: only an id travels"
    : Allowed<TAccess['protection'], 'signed' | 'none'> extends false
      ? "storage 'server' takes protection 'signed' or 'none': only an id travels"
      : KeysProblem<TOptions, TAccess>
  : [TAccess['visibility']] extends ['client']
    ? Allowed<TAccess['protection'], 'ed25519' | 'none'> extends false
      ? "visibility 'client' takes protection 'ed25519' (the server signs, the browser verifies) or 'none' (the browser writes)"
      : KeysProblem<TOptions, TAccess>
    : KeysProblem<TOptions, TAccess>

type KeysProblem<TOptions, TAccess extends SessionAccess> = TOptions extends {
  readonly publicKeys: Readonly<Record<string, string>>
}
  ? Allowed<TAccess['protection'], 'ed25519'> extends false
    ? "publicKeys need protection 'ed25519'"
    : never
  : never

/**
 * Options as given when they are possible; otherwise a required `'~error'` saying why not, which is
 * what the compile error shows. The engine refuses the same combinations at run time.
 *
 * @example
 * defineSession('cart', { visibility: 'client', protection: 'sealed' }) // compile error: '~error' is missing
 */
export type PossibleOptions<TOptions> = [OptionsProblem<TOptions>] extends [never]
  ? unknown
  : { readonly '~error': OptionsProblem<TOptions> }

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
  /** The lifetime as given (undefined: the defaults); the engine turns it into seconds at registration. */
  readonly expiry: SessionExpiry | undefined
  readonly publicKeys: Readonly<Record<string, string>> | undefined
  /** Type-only: carries `T`. */
  readonly '~value'?: T
}

/** Any descriptor, whatever its value type. */
export type AnySessionDescriptor = SessionDescriptor<any, SessionAccess>

/** The value type of a descriptor. */
export type SessionValue<TDescriptor> = TDescriptor extends SessionDescriptor<infer T, any> ? T : never

/**
 * A value of type `T` as a literal may spell it: arrays, at any depth, may be readonly. `getOrSet` and
 * `update` take what their function returns as this, inferred `const`, so that a literal such as
 * `{ theme: 'dark' }` keeps its literal type instead of widening to `string`.
 *
 * @example const prefs: ValueLiteral<{ tags: string[] }> = { tags: ['a'] } as const
 */
export type ValueLiteral<T> = T extends readonly unknown[]
  ? { readonly [K in keyof T]: ValueLiteral<T[K]> }
  : T extends Date | Map<any, any> | Set<any> | ((...args: any) => any)
    ? T
    : T extends object
      ? { [K in keyof T]: ValueLiteral<T[K]> }
      : T

type InferValue<TOptions> = TOptions extends { readonly schema: infer TSchema extends StandardSchemaV1 }
  ? StandardSchemaV1.InferOutput<TSchema>
  : unknown

/** RFC 7230 token: valid as a cookie name and as a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/
/**
 * Headers a header session must not be named after: the engine reads or writes them itself
 * (a session named `set-cookie` would replace every cookie of the response), or they frame the message.
 */
const RESERVED_HEADER =
  /^(?:cookie|set-cookie|origin|access-control-expose-headers|host|content-length|transfer-encoding|connection)$/i

/** Checks a session name against the cookie-name and header-name rules (`INVALID_NAME`). */
export function assertSessionName(name: string): void {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new SessionError(
      'INVALID_NAME',
      `session name ${JSON.stringify(String(name)).slice(0, 60)} must be 1 to 128 of A-Z a-z 0-9 !#$%&'*+-.^_\`|~`,
    )
  }
}

/**
 * Checks a name for its transport (`INVALID_NAME`): the name rules, and no header that HTTP or the
 * engine owns for a header session. The engine checks it when it registers a session, and the
 * browser client when it is given one.
 */
export function assertNameFor(name: string, transport: unknown): void {
  assertSessionName(name)
  if (transport === 'header' && RESERVED_HEADER.test(name)) {
    throw new SessionError(
      'INVALID_NAME',
      `session "${name}": a header session cannot take the name of a header HTTP or tessera owns`,
      { session: name },
    )
  }
}

/**
 * Only what every runtime needs: the name checked, the defaults applied, the result frozen. The
 * rules of combination (a header session's name included), the public keys and the durations are
 * checked where they matter, by the engine when it registers the session (`checkDescriptor`) and by
 * the browser for what it reads, so a page that defines a session does not download the server's rules.
 */
function build<T>(name: string, options: SessionOptions<T> = {}): SessionDescriptor<T> {
  const { transport = 'cookie', storage = 'client', visibility = 'server', expiry, publicKeys } = options
  assertSessionName(name)
  const descriptor = Object.freeze({
    name,
    transport,
    storage,
    visibility,
    protection:
      options.protection ??
      (storage === 'server' ? 'signed' : visibility === 'client' ? 'ed25519' : 'sealed'),
    schema: options.schema,
    codec: options.codec ?? (superjsonCodec as SessionCodec<T>),
    expiry: expiry && Object.freeze({ ...expiry }),
    publicKeys: publicKeys && Object.freeze({ ...publicKeys }),
  })
  // The option names as given, checked where the rules are (checkDescriptor), so a page that only
  // defines sessions does not download the list of names and the suggestions.
  givenOptions.set(descriptor, Object.keys(options))
  return descriptor
}

/** The option names each descriptor was defined with. */
const givenOptions = new WeakMap<object, string[]>()

/** Refuses (`INVALID_OPTION`) option names `defineSession` was given that it does not know. */
function assertKnownSessionOptions(descriptor: AnySessionDescriptor): void {
  const given = givenOptions.get(descriptor) ?? []
  const { name } = descriptor
  assertKnownOptions(
    Object.fromEntries(given.map((key) => [key, true])),
    SESSION_OPTIONS,
    'defineSession()',
    name,
  )
  assertKnownOptions(descriptor.expiry, EXPIRY_OPTIONS, 'defineSession() expiry', name)
}

/**
 * Defines a session once, for browser and server. Call it with a name and options (the value type
 * comes from `schema`), or with a type parameter first: `defineSession<T>()(name, options)`. A bad
 * name throws here (`INVALID_NAME`); the other options, and a header session named after a header
 * HTTP or tessera owns (`set-cookie`, `host`...), are refused when a server registers the session
 * (`INVALID_OPTION`, `INVALID_NAME` at start-up) or a browser client is given it, so a page that only
 * defines sessions stays small.
 *
 * @example
 * export const Cart = defineSession('cart', { schema: cartSchema, visibility: 'client' })
 * export const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
 */
export function defineSession<const TOptions extends SessionOptions<any> | ValueTypeGiven = {}>(
  name: TOptions extends SessionOptions<any>
    ? string
    : 'not session options: for a value type, write defineSession<T>()(name, options)',
  options?: TOptions & PossibleOptions<TOptions>,
): SessionDescriptor<InferValue<TOptions>, ResolveAccess<TOptions>>
export function defineSession<T>(): <const TOptions extends SessionOptions<T> = {}>(
  name: string,
  options?: TOptions & PossibleOptions<TOptions>,
) => SessionDescriptor<T, ResolveAccess<TOptions>>
export function defineSession(name?: string, options?: SessionOptions<any>): unknown {
  if (name === undefined)
    return (later: string, laterOptions?: SessionOptions<any>) => build(later, laterOptions)
  return build(name, options)
}

/** A session's lifetime in whole seconds; null where that limit is off. */
export interface ExpirySeconds {
  readonly idle: number | null
  readonly absolute: number | null
}

const PROTECTIONS: readonly Protection[] = ['none', 'signed', 'ed25519', 'sealed']
const DEFAULT_IDLE_SECONDS = 7 * 86_400

/**
 * True when the browser can read the session: the whole value travels, the browser may see it, and
 * it is either verifiable with a public key (`ed25519`) or the browser's own (`none`).
 *
 * @example isReadable(Cart) // true for defineSession('cart', { visibility: 'client' })
 */
export const isReadable = ({ storage, visibility, protection }: AnySessionDescriptor): boolean =>
  storage === 'client' && visibility === 'client' && (protection === 'ed25519' || protection === 'none')

/**
 * Refuses (`INVALID_KEY`) Ed25519 public keys that are missing, not under a key id, or not 32 bytes
 * of base64url each: the check of the engine's registration and of the browser client alike.
 *
 * @example checkPublicKeys('cart', { '0': 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik' })
 */
export function checkPublicKeys(name: string, keys: Readonly<Record<string, string>> | undefined): void {
  const entries = Object.entries(keys ?? {})
  const valid = ([id, key]: [string, unknown]) =>
    KEY_ID.test(id) && typeof key === 'string' && decodeBase64url(key)?.length === ED25519_KEY_BYTES
  if (entries.length === 0 || !entries.every(valid)) {
    throw new SessionError(
      'INVALID_KEY',
      `session "${name}" needs its Ed25519 public keys: 32 bytes of base64url each, under a key id (publicKeys)`,
      { session: name },
    )
  }
}

/**
 * A descriptor's expiry in whole seconds, the defaults applied (7 days idle, no absolute limit); a
 * duration of 0 turns its limit off, as `null` does. `INVALID_OPTION` naming the session for a
 * duration that does not parse.
 *
 * @example expirySeconds(defineSession('cart', { expiry: { idle: '1h' } })) // { idle: 3600, absolute: null }
 */
export function expirySeconds({
  name,
  expiry,
}: Pick<AnySessionDescriptor, 'name' | 'expiry'>): ExpirySeconds {
  const idle = expiry?.idle
  const absolute = expiry?.absolute
  return {
    idle: idle === null ? null : toSeconds(idle ?? DEFAULT_IDLE_SECONDS, 'expiry.idle', name) || null,
    absolute: absolute == null ? null : toSeconds(absolute, 'expiry.absolute', name) || null,
  }
}

/**
 * Checks a descriptor the way the engine does when it registers the session, and returns its expiry
 * in seconds: known transport, storage, visibility and protection; only the combinations the wire
 * format allows (server storage is never client-visible and is signed or `none`, a client-visible
 * value is `ed25519` or `none`); public keys only for `ed25519`, each 32 bytes of base64url under a
 * key id (`INVALID_KEY` otherwise); durations that parse; no option name `defineSession` does not
 * know (`httponly`: "did you mean httpOnly?"). Throws `SessionError('INVALID_OPTION')`
 * naming the session (`INVALID_NAME` for a name that `defineSession` would have refused).
 *
 * @example
 * checkDescriptor(defineSession('cart', { expiry: { idle: '1h' } })) // { idle: 3600, absolute: null }
 */
export function checkDescriptor(descriptor: AnySessionDescriptor): ExpirySeconds {
  const { name, transport, storage, visibility, protection, publicKeys } = descriptor
  assertNameFor(name, transport)
  assertKnownSessionOptions(descriptor)
  const fail = (rule: string): never => {
    throw new SessionError('INVALID_OPTION', `session "${name}": ${rule}`, { session: name })
  }
  const oneOf = (option: string, value: string, allowed: readonly string[]) => {
    if (!allowed.includes(value)) fail(`${option} must be one of ${JSON.stringify(allowed)}`)
  }
  oneOf('transport', transport, ['cookie', 'header'])
  oneOf('storage', storage, ['client', 'server'])
  oneOf('visibility', visibility, ['client', 'server'])
  // Only an id travels for server storage: the browser has nothing to see, and only the id is signed.
  if (storage === 'server' && visibility === 'client')
    fail('storage "server" cannot be visible to the client')
  oneOf(
    `with storage "${storage}" and visibility "${visibility}", protection`,
    protection,
    storage === 'server' ? ['signed', 'none'] : visibility === 'client' ? ['ed25519', 'none'] : PROTECTIONS,
  )
  if (publicKeys !== undefined) {
    if (protection !== 'ed25519') fail('publicKeys need protection "ed25519"')
    checkPublicKeys(name, publicKeys)
  }
  return expirySeconds(descriptor)
}
