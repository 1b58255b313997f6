import type { SessionKey } from '../crypto/key-ring'
import { createKeyRing } from '../crypto/key-ring'
import type { SessionCrypto } from '../crypto/session-crypto'
import { webCrypto } from '../crypto/web-crypto'
import type { AnySessionDescriptor, SessionValue } from '../descriptor'
import { SessionError } from '../errors'
import { assertKnownOptions, ENGINE_OPTIONS } from '../option-names'
import { memoryStorage } from '../storage/memory-storage'
import type { SessionStorage } from '../storage/session-storage'
import type {
  Binding,
  EngineInternals,
  InvalidSessionEvent,
  SessionErrorEvent,
  SessionOperation,
} from './binding'
import { createBinding, reportError } from './binding'
import type { DataTokens } from './data-tokens'
import { createDataTokens } from './data-tokens'
import type { OpenOptions } from './request-sessions'
import { RequestSessions } from './request-sessions'
import { assertOwner, randomId, SESSION_ID, storageError } from './server-store'
import type { ManagedSession, ManagedSessionValue } from './session-admin'
import { createSessionAdmin } from './session-admin'
import type { SessionConfig } from './session-config'
import type { SessionIO } from './session-io'
import { assertChunkNamesFree } from './token-transport'

export interface SessionEngineOptions {
  /** The master secret, at least 32 bytes; its key id is `"0"`. Give this or `keys`. */
  readonly secret?: string | Uint8Array | undefined
  /** A key ring for rotation: the first key signs, every key verifies. */
  readonly keys?: readonly SessionKey[] | undefined
  /** The sessions, each a descriptor or a descriptor with server options (`cookie(...)`, `header(...)`). */
  readonly sessions: readonly (SessionConfig | AnySessionDescriptor)[]
  /** The runtime's primitives. @default webCrypto */
  readonly crypto?: SessionCrypto | undefined
  /** Told why an incoming session read as absent (tampered, expired...); never given the token. */
  readonly onInvalid?: ((event: InvalidSessionEvent) => void) | undefined
  /**
   * Told of every `SessionError` a session operation throws (`set` of a value that fails its schema,
   * a storage that is down, a write after the response was sent…), before the caller gets it: the
   * code, the session's name, the operation and the message, never the value, token, id or secret.
   * Wire it to your logger; the adapters answer such errors with a bare status.
   *
   * @example onError: (event) => console.warn('session error', event)
   */
  readonly onError?: ((event: SessionErrorEvent) => void) | undefined
  /** Clock in unix milliseconds, for tests. @default Date.now */
  readonly now?: (() => number) | undefined
}

/**
 * The registry of sessions and their server-side machinery; one per app (or per route scope). It
 * also seals and signs data outside sessions ({@link DataTokens}: magic links, password resets).
 */
export interface SessionEngine extends DataTokens {
  /**
   * The sessions of one request, read and written through an adapter's {@link SessionIO}.
   * `options.onInvalid` hears this request's refusals only (the engine's hook hears all).
   */
  open(io: SessionIO, options?: OpenOptions): RequestSessions
  /** True when this very descriptor is registered (another descriptor of the same name is not). */
  has(descriptor: AnySessionDescriptor): boolean
  /**
   * Ed25519 public keys of every browser-verifiable session, by session name then key id: what the
   * browser client's `publicKeys` option takes. It is a Promise: send `await sessions.publicKeys()`.
   * The Promise itself refuses to become JSON (`INVALID_OPERATION`), so a forgotten `await` fails
   * where it happens instead of sending `{}` to the browser.
   *
   * @example app.get('/tessera/keys', async (req, res) => res.json(await sessions.publicKeys()))
   */
  publicKeys(): Promise<Record<string, Record<string, string>>>
  /** Ends one server-stored session by id (Ktor's "clear by id", for signing out another device). */
  invalidate(descriptor: AnySessionDescriptor, id: string): Promise<void>
  /**
   * Ends every server-stored session of a user, where the storage keeps an owner index. An owner is
   * 1 to 512 characters of well-formed text without control characters (`INVALID_VALUE`
   * otherwise), as at `set`.
   */
  invalidateOwner(descriptor: AnySessionDescriptor, owner: string): Promise<number>
  /**
   * The live server-stored sessions of an owner, newest first: a devices page. Each is named by an
   * opaque handle, never by its id (see {@link ManagedSession}). `INVALID_OPERATION` when the storage
   * has no `listOwner`; `INVALID_VALUE` for an owner `set` would refuse.
   *
   * @example const devices = await engine.listSessions(Login, user.id)
   */
  listSessions(descriptor: AnySessionDescriptor, owner: string): Promise<ManagedSession[]>
  /** One session of an owner by its handle, with its value; null when the owner lists no such session. */
  readSession<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    owner: string,
    handle: string,
  ): Promise<ManagedSessionValue<SessionValue<TDescriptor>> | null>
  /**
   * Replaces the value of one session of an owner, with compare-and-set as between requests: a
   * request that changed it since it was listed makes it `CONFLICT` (unless the session has a
   * `merge`). Keeps its lifetime and labels. False when the owner lists no such session.
   */
  replaceSession<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    owner: string,
    handle: string,
    value: SessionValue<TDescriptor>,
  ): Promise<boolean>
  /**
   * Ends one session of an owner ("sign out this device"); false when the owner lists no such session.
   *
   * @example await engine.endSession(Login, user.id, handle)
   */
  endSession(descriptor: AnySessionDescriptor, owner: string, handle: string): Promise<boolean>
}

const toConfig = (entry: SessionConfig | AnySessionDescriptor): SessionConfig =>
  'descriptor' in entry ? entry : { descriptor: entry, options: {} }

/**
 * A descriptor the engine was not given. A session is its descriptor, not its name: another
 * descriptor of a registered name (its own schema, protection or expiry) is refused too, rather than
 * served with the registered one's rules.
 */
function notRegistered(descriptor: AnySessionDescriptor, nameTaken: boolean): SessionError {
  const name = descriptor?.name
  return new SessionError(
    'NOT_REGISTERED',
    nameTaken
      ? `session "${name}": this descriptor is not the one registered under that name; pass the registered descriptor`
      : `session "${name}" is not registered with this engine`,
    { session: name },
  )
}

/**
 * The `toJSON` of the Promise `publicKeys()` returns: `JSON.stringify` (and so `res.json`) would
 * turn a Promise into `{}`, and the browser would then hold no key to verify with.
 */
function refuseUnawaitedKeys(): never {
  throw new SessionError(
    'INVALID_OPERATION',
    'publicKeys() returns a Promise: await it before sending it (res.json(await sessions.publicKeys()))',
  )
}

/**
 * Creates the portable session engine. `@tessera/node`'s `createSessions` is this engine with
 * `node:crypto`; the browser's testing entry and service-worker mode use it as is.
 *
 * @example
 * const engine = createSessionEngine({ secret, sessions: [cookie(Cart), header(Login)] })
 * const sessions = engine.open(io)
 * await sessions.set(Cart, { items: [] })
 * sessions.commit()
 */
export function createSessionEngine(options: SessionEngineOptions): SessionEngine {
  assertKnownOptions(options, ENGINE_OPTIONS, 'createSessions()/createSessionEngine()')
  const configs = options.sessions.map(toConfig)
  const crypto = options.crypto ?? webCrypto
  const needsKeys = configs.some(({ descriptor }) => descriptor.protection !== 'none')
  const ring =
    options.secret !== undefined || options.keys !== undefined || needsKeys
      ? createKeyRing(options.keys ? { keys: options.keys } : { secret: options.secret as string })
      : undefined
  let sharedStorage: SessionStorage | undefined
  const defaultStorage = () => (sharedStorage ??= memoryStorage())

  const byDescriptor = new Map<AnySessionDescriptor, Binding>()
  const byName = new Map<string, Binding>()
  /** Header names are case-insensitive on the wire: `X-Token` and `x-token` would share one header. */
  const headerNames = new Set<string>()
  const parts = { crypto, ring, options, defaultStorage }
  const bindings = configs.map((config, index) => {
    const binding = createBinding(index, config, parts)
    const { descriptor, name } = binding
    const headerName = descriptor.transport === 'header' ? binding.headerKey : undefined
    if (byDescriptor.has(descriptor) || byName.has(name) || (headerName && headerNames.has(headerName))) {
      throw new SessionError('DUPLICATE', `session "${name}" is registered twice`, { session: name })
    }
    if (headerName !== undefined) headerNames.add(headerName)
    byDescriptor.set(descriptor, binding)
    byName.set(name, binding)
    return binding
  })
  assertChunkNamesFree(bindings)

  const now = options.now ?? Date.now
  const nowSeconds = () => Math.floor(now() / 1000)
  const admin = createSessionAdmin({ crypto, ring, nowSeconds })
  const internals: EngineInternals = {
    bindings,
    binding(descriptor) {
      const binding = byDescriptor.get(descriptor)
      if (!binding) throw notRegistered(descriptor, byName.has(descriptor?.name))
      return binding
    },
    nowSeconds,
    randomId: () => randomId(crypto),
    handleOf: admin.handleOf,
    onInvalid: options.onInvalid,
    onError: options.onError,
  }

  const storageOf = (descriptor: AnySessionDescriptor, id?: string): SessionStorage => {
    const binding = internals.binding(descriptor)
    if (!binding.storage) {
      throw new SessionError('INVALID_OPERATION', `session "${binding.name}" is not stored server-side`)
    }
    if (id !== undefined && !SESSION_ID.test(id)) {
      throw new SessionError('INVALID_VALUE', `session "${binding.name}": not a session id`)
    }
    return binding.storage
  }

  /** Runs an engine operation, telling `onError` when it fails. */
  const reported = async <T>(operation: SessionOperation, run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      reportError(options.onError, operation, error)
      throw error
    }
  }
  const invalidateAllOf = async (descriptor: AnySessionDescriptor, owner: string): Promise<number> => {
    const storage = storageOf(descriptor)
    assertOwner(owner, descriptor.name)
    if (!storage.invalidateOwner) {
      throw new SessionError(
        'INVALID_OPERATION',
        `the storage of session "${descriptor.name}" keeps no owner index`,
        { session: descriptor.name },
      )
    }
    try {
      return await storage.invalidateOwner(owner)
    } catch (cause) {
      throw storageError(descriptor.name, cause)
    }
  }

  return {
    ...createDataTokens({ crypto, ring, options, nowSeconds: internals.nowSeconds }),
    open: (io, openOptions) => new RequestSessions(internals, io, openOptions),
    has: (descriptor) => byDescriptor.has(descriptor),
    publicKeys() {
      const keys = Promise.all(
        bindings
          .filter((binding) => binding.protector.publicKeys)
          .map(async (binding) => [binding.name, await binding.protector.publicKeys!()] as const),
      ).then(Object.fromEntries)
      return Object.assign(keys, { toJSON: refuseUnawaitedKeys })
    },
    invalidate: (descriptor, id) =>
      reported('invalidate', async () => {
        const storage = storageOf(descriptor, id)
        try {
          await storage.invalidate(id)
        } catch (cause) {
          throw storageError(descriptor.name, cause)
        }
      }),
    invalidateOwner: (descriptor, owner) =>
      reported('invalidateOwner', () => invalidateAllOf(descriptor, owner)),
    listSessions: (descriptor, owner) =>
      reported('listSessions', () => admin.list(internals.binding(descriptor), owner)),
    readSession: (descriptor, owner, handle) =>
      reported(
        'readSession',
        () =>
          admin.read(
            internals.binding(descriptor),
            owner,
            handle,
          ) as Promise<ManagedSessionValue<any> | null>,
      ),
    replaceSession: (descriptor, owner, handle, value) =>
      reported('replaceSession', () => admin.replace(internals.binding(descriptor), owner, handle, value)),
    endSession: (descriptor, owner, handle) =>
      reported('endSession', () => admin.end(internals.binding(descriptor), owner, handle)),
  }
}
