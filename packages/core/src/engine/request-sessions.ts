import type { AnySessionDescriptor, SessionDescriptor, SessionValue, ValueLiteral } from '../descriptor'
import type { Duration } from '../duration'
import { InvalidReason, isSessionError, SessionError } from '../errors'
import {
  checkValue,
  encodeValue,
  lifetimeEnd,
  openPayload,
  ownEnd,
  readValue,
  sessionClaims,
  transformWrite,
} from '../session-rules'
import type { Claims } from '../wire/token'
import type { Binding, EngineInternals, InvalidSessionEvent, SessionOperation } from './binding'
import { reportError } from './binding'
import type { SessionMetadata } from './server-store'
import {
  isMetadata,
  readEntry,
  SESSION_ID,
  storageCall,
  storeValue,
  ttlMillis,
  writeEntry,
} from './server-store'
import type { SessionIO } from './session-io'
import { assertFits, incomingChunks, readIncoming, writeOutgoing } from './token-transport'

/** Options of one request's sessions (`engine.open(io, options)`). */
export interface OpenOptions {
  /** Told, for this request only, why an incoming session read as absent; after the engine's own hook. */
  readonly onInvalid?: ((event: InvalidSessionEvent) => void) | undefined
}

/**
 * A lifetime for one session, given to `set`: it replaces the descriptor's expiry for this session
 * ("remember me for 30 days" beside a default of a browser session). The lifetime starts now and ends
 * at a fixed time, which use does not move; later writes keep it, the cookie's Max-Age follows it
 * (whatever the cookie's own `maxAge`), and `regenerate` or a `set` with another lifetime replace it.
 * A client-stored session carries it in its token's expiry, a server-stored one in its stored entry.
 *
 * @example await req.sessions.set(Login, { userId }, { maxAge: rememberMe ? '30d' : undefined })
 */
export interface SessionSetOptions {
  /** The session ends this long from now. */
  readonly maxAge?: Duration | undefined
  /** The session ends at this time (give `maxAge` or `expiresAt`, not both). */
  readonly expiresAt?: Date | undefined
  /**
   * Labels for a server-stored session, kept across its writes and listed by `engine.listSessions`
   * (a devices page): `{ device: 'Firefox on Linux' }`. At most 16, names of 1 to 64 characters,
   * values of at most 512; replaced as a whole when given again. A client-stored session has nowhere
   * to keep them: `INVALID_OPTION`.
   */
  readonly metadata?: SessionMetadata | undefined
}

/**
 * When the current session began and when it ends, as `sessions.lifetime(D)` answers: for "your
 * session ends in 5 minutes" and for deciding to renew on activity. Times are whole seconds.
 */
export interface SessionLifetime {
  /** When the session began (kept across renewals and writes; `regenerate` and a new lifetime restart it). */
  readonly createdAt: Date
  /**
   * When the session ends if it is not used again: the expiry its token (client-stored) or its stored
   * entry (server-stored) carries now. Use moves it while the session renews on use. Null: never.
   */
  readonly expiresAt: Date | null
  /**
   * The latest the session can end however it is used: the end of a lifetime of its own, or its start
   * plus the descriptor's absolute limit. Null when use can keep it going without bound.
   */
  readonly maxExpiresAt: Date | null
  /** True when `set` gave this session a lifetime of its own ({@link SessionSetOptions}). */
  readonly ownLifetime: boolean
}

/** An incoming token that opened: its payload (after transformers) and claims. */
type OpenedIncoming = Claims & { readonly payload: string; readonly stale: boolean }

/** Value type of a descriptor, or what an `update` function may return (null ends the session). */
type Value<TDescriptor> = SessionValue<TDescriptor>

/** Per request, per session: what was read and what is to be written. */
interface SessionState {
  loading: Promise<void> | undefined
  loaded: boolean
  /** The request carried a token for this session (valid or not). */
  incoming: boolean
  /** Cookie chunks the request carried (1 for an unchunked cookie), so leftovers can be cleared. */
  incomingChunks: number
  /** Several cookies of the session's names came (cookie tossing): an invalid one is not cleared. */
  several: boolean
  value: unknown
  /** Codec text of `value` as read or last written, for skipping equal writes. */
  text: string | undefined
  /** Start of the session being continued (kept on re-issue so the absolute limit holds). */
  iat: number | undefined
  /** Expiry of the token that travels (incoming, or about to be written). */
  exp: number
  /** The end of a session given its own lifetime (unix seconds); undefined: the descriptor's expiry. */
  end: number | undefined
  /** Server-stored sessions: the app's labels, kept in the entry. */
  meta: SessionMetadata | undefined
  /** Server-stored sessions: the id and the stored version read. */
  id: string | undefined
  version: number | undefined
  /** A token to write, or null to clear; undefined when nothing is to be written. */
  pending: string | null | undefined
}

function newState(): SessionState {
  return {
    loading: undefined,
    loaded: false,
    incoming: false,
    incomingChunks: 0,
    several: false,
    value: null,
    text: undefined,
    iat: undefined,
    exp: 0,
    end: undefined,
    meta: undefined,
    id: undefined,
    version: undefined,
    pending: undefined,
  }
}

/** Forgets the session's value and identity (what was read); pending writes stay. */
function forgetValue(state: SessionState): void {
  state.value = null
  state.text = undefined
  state.iat = undefined
  state.end = undefined
  state.meta = undefined
  state.id = undefined
  state.version = undefined
}

/**
 * The sessions of one request: Ktor's `call.sessions`. Reading is lazy (nothing is parsed, verified
 * or fetched until `get`); writes are prepared when called and applied by {@link commit}.
 */
export class RequestSessions {
  readonly #engine: EngineInternals
  readonly #io: SessionIO
  readonly #states: SessionState[] = []
  readonly #onInvalid: ((event: InvalidSessionEvent) => void) | undefined
  #committed = false

  constructor(engine: EngineInternals, io: SessionIO, options?: OpenOptions) {
    this.#engine = engine
    this.#io = io
    this.#onInvalid = options?.onInvalid
  }

  /**
   * The session's value, or null when it is absent, expired, tampered with, fails its schema (or the
   * schema throws on it) or its stored entry is gone. Never throws for a bad token; throws
   * `STORAGE_UNAVAILABLE` when a storage fails.
   */
  get<TDescriptor extends AnySessionDescriptor>(descriptor: TDescriptor): Promise<Value<TDescriptor> | null> {
    return this.#reported('get', this.#get(descriptor))
  }

  /**
   * Creates or replaces the session. The value is checked against the schema (`INVALID_VALUE` when it
   * fails, or throws: then only the name of what it threw is kept as `cause`), encoded, protected and,
   * for server-stored sessions, written to the storage with compare-and-set. `options` gives this one
   * session its own lifetime ({@link SessionSetOptions}); without it the session keeps the lifetime it
   * has.
   *
   * @example await req.sessions.set(Login, { userId }, { maxAge: '30d' })
   */
  set<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    value: Value<TDescriptor>,
    options?: SessionSetOptions,
  ): Promise<void> {
    return this.#reported('set', this.#set(descriptor, value, options))
  }

  /** Ends the session: a server-stored entry is invalidated, and the browser's copy is cleared. */
  clear(descriptor: AnySessionDescriptor): Promise<void> {
    return this.#reported('clear', this.#clear(descriptor))
  }

  /**
   * Reads the session once and ends it: a flash value (a notice for the next page, say). Returns the
   * value, or null when there was none.
   *
   * @example await req.sessions.set(Notice, { text: 'Saved' }) // POST …, then on the next GET:
   * const notice = await req.sessions.take(Notice)
   */
  take<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
  ): Promise<Value<TDescriptor> | null> {
    return this.#reported('take', this.#take(descriptor))
  }

  /**
   * Reads, applies `fn` and writes back; `fn` returning null ends the session. For server-stored
   * sessions a concurrent change is detected (compare-and-set) and `fn` re-applied to the fresh value,
   * after a short random pause, up to `maxRetries` times.
   *
   * @example await req.sessions.update(Counter, (c) => ({ count: (c?.count ?? 0) + 1 }))
   */
  update<TValue, const TNext extends ValueLiteral<TValue> | null>(
    descriptor: SessionDescriptor<TValue, any>,
    fn: (current: TValue | null) => TNext | PromiseLike<TNext>,
  ): Promise<null extends TNext ? TValue | null : TValue> {
    return this.#reported('update', this.#update(descriptor, fn as never)) as never
  }

  /** The session's value, or `init()` stored as the new session when there is none. */
  getOrSet<TValue, const TInit extends ValueLiteral<TValue>>(
    descriptor: SessionDescriptor<TValue, any>,
    init: () => TInit | PromiseLike<TInit>,
  ): Promise<TValue> {
    return this.#reported('getOrSet', this.#getOrSet(descriptor, init as () => Promise<TValue>))
  }

  /**
   * Gives the current session a new identity, against session fixation (call it at login): a
   * server-stored session moves to a new id and the old one is invalidated; a client-stored one
   * starts a new lifetime. Does nothing when there is no session.
   */
  regenerate(descriptor: AnySessionDescriptor): Promise<void> {
    return this.#reported('regenerate', this.#regenerate(descriptor))
  }

  /** The id of a server-stored session, or null when there is none (for "sign out other devices"). */
  id(descriptor: AnySessionDescriptor): Promise<string | null> {
    return this.#reported('id', this.#id(descriptor))
  }

  async #get<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
  ): Promise<Value<TDescriptor> | null> {
    const binding = this.#engine.binding(descriptor)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    return state.value as Value<TDescriptor> | null
  }

  async #set<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    value: Value<TDescriptor>,
    options?: SessionSetOptions,
  ): Promise<void> {
    const binding = this.#engine.binding(descriptor)
    this.#assertOpen(binding)
    const end = options && lifetimeEnd(binding.name, options, this.#engine.nowSeconds())
    const meta = options?.metadata
    if (meta !== undefined) assertMetadata(binding, meta)
    const checked = await checkValue(binding.descriptor, value)
    const encoded = encodeValue(binding.descriptor, checked)
    const text = typeof encoded === 'string' ? encoded : await encoded
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    if (meta !== undefined) state.meta = meta
    if (end !== undefined) {
      // A lifetime of its own starts now.
      state.iat = undefined
      state.end = end
    } else if (meta === undefined && binding.skipEqualWrites && state.value !== null && state.text === text) {
      return
    }
    if (binding.storage) return this.#store(binding, state, checked, text, end !== undefined)
    await this.#issue(binding, state, text)
    state.value = checked
    state.text = text
  }

  async #clear(descriptor: AnySessionDescriptor): Promise<void> {
    const binding = this.#engine.binding(descriptor)
    this.#assertOpen(binding)
    const state = this.#state(binding)
    if (state.loading) await state.loading
    if (binding.storage) {
      const id = state.loaded ? state.id : (await this.#openIncoming(binding, state))?.payload
      if (id !== undefined) await storageCall(binding, () => binding.storage!.invalidate(id))
    } else if (!state.loaded) {
      const incoming = readIncoming(binding, this.#io)
      state.incoming = incoming !== undefined
      state.incomingChunks = incomingChunks(incoming)
    }
    state.loaded = true
    forgetValue(state)
    state.pending = state.incoming ? null : undefined
  }

  async #take<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
  ): Promise<Value<TDescriptor> | null> {
    const value = await this.#get(descriptor)
    if (value !== null) await this.#clear(descriptor)
    return value
  }

  async #update<TDescriptor extends AnySessionDescriptor, TNext extends Value<TDescriptor> | null>(
    descriptor: TDescriptor,
    fn: (current: Value<TDescriptor> | null) => TNext | Promise<TNext>,
  ): Promise<null extends TNext ? Value<TDescriptor> | null : Value<TDescriptor>> {
    const binding = this.#engine.binding(descriptor)
    for (let attempt = 1; ; attempt++) {
      const next = await fn(await this.#get(descriptor))
      try {
        if (next === null) {
          await this.#clear(descriptor)
          return null as never
        }
        await this.#set(descriptor, next as Value<TDescriptor>)
        // What was stored: `next`, or what a merge made of it.
        return this.#state(binding).value as never
      } catch (error) {
        if (!isSessionError(error, 'CONFLICT') || attempt >= binding.maxRetries) throw error
        const state = this.#state(binding)
        state.loaded = false
        state.loading = undefined
        forgetValue(state)
        await pause(attempt)
      }
    }
  }

  async #getOrSet<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    init: () => Value<TDescriptor> | Promise<Value<TDescriptor>>,
  ): Promise<Value<TDescriptor>> {
    const current = await this.#get(descriptor)
    if (current !== null) return current
    const value = await init()
    await this.#set(descriptor, value)
    return value
  }

  async #regenerate(descriptor: AnySessionDescriptor): Promise<void> {
    const binding = this.#engine.binding(descriptor)
    this.#assertOpen(binding)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    if (state.value === null || state.text === undefined) return
    state.iat = undefined
    state.end = undefined
    if (!binding.storage) return this.#issue(binding, state, state.text)
    const oldId = state.id
    state.id = undefined
    state.version = undefined
    await this.#store(binding, state, state.value, state.text)
    if (oldId !== undefined) await storageCall(binding, () => binding.storage!.invalidate(oldId))
  }

  /**
   * When the current session began and when it ends ({@link SessionLifetime}), or null when there is
   * no session. Reflects this request's writes; reads the session first when it was not read yet.
   *
   * @example
   * const lifetime = await req.sessions.lifetime(Login)
   * const endsSoon = lifetime?.expiresAt && lifetime.expiresAt.getTime() - Date.now() < 5 * 60_000
   */
  async lifetime(descriptor: AnySessionDescriptor): Promise<SessionLifetime | null> {
    const binding = this.#engine.binding(descriptor)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    if (state.value === null || state.iat === undefined) return null
    const latest = state.end ?? (binding.absolute === null ? undefined : state.iat + binding.absolute)
    return {
      createdAt: atSecond(state.iat),
      expiresAt: state.exp === 0 ? null : atSecond(state.exp),
      maxExpiresAt: latest === undefined ? null : atSecond(latest),
      ownLifetime: state.end !== undefined,
    }
  }

  /**
   * The handle of the current server-stored session, as `engine.listSessions` lists it (to mark "this
   * device" on a devices page), or null when there is none. Not the id, and never usable as a cookie.
   */
  async handle(descriptor: AnySessionDescriptor): Promise<string | null> {
    const binding = this.#engine.binding(descriptor)
    const id = await this.#id(descriptor)
    return id === null ? null : this.#engine.handleOf(binding, id)
  }

  async #id(descriptor: AnySessionDescriptor): Promise<string | null> {
    const binding = this.#engine.binding(descriptor)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    return state.id ?? null
  }

  /**
   * Applies what this request wrote: Set-Cookie lines and response headers. Adapters call it once,
   * just before the response headers go out; later `set` or `clear` calls throw `RESPONSE_COMMITTED`.
   */
  commit(): void {
    if (this.#committed) return
    this.#committed = true
    const states = this.#states
    try {
      states.forEach((state, i) => {
        if (state.pending !== undefined) {
          writeOutgoing(this.#engine.bindings[i]!, state, this.#io, this.#engine.nowSeconds())
        }
      })
    } catch (error) {
      reportError(this.#engine.onError, 'commit', error)
      throw error
    }
  }

  /** The operation's own promise, `onError` told when it rejects with a SessionError. */
  #reported<T>(operation: SessionOperation, running: Promise<T>): Promise<T> {
    if (!this.#engine.onError) return running
    return running.catch((error: unknown) => {
      reportError(this.#engine.onError, operation, error)
      throw error
    })
  }

  // ---------------------------------------------------------------------------------------------
  // reading

  #state(binding: Binding): SessionState {
    let state = this.#states[binding.index]
    if (!state) this.#states[binding.index] = state = newState()
    return state
  }

  #ensureLoaded(binding: Binding, state: SessionState): Promise<void> {
    state.loading ??= this.#load(binding, state)
    return state.loading
  }

  /**
   * Opens the incoming token: its payload (after transformers) and claims; undefined when absent or
   * invalid. Of several cookies of the session's name, the first that opens is the session.
   */
  async #openIncoming(binding: Binding, state: SessionState): Promise<OpenedIncoming | undefined> {
    const incoming = readIncoming(binding, this.#io)
    if (incoming === undefined) return undefined
    state.incoming = true
    state.several = incoming.several
    // The first reason a token was refused: the one reported when none opens.
    let refused: InvalidReason | undefined
    for (const { token, chunks } of incoming.tokens) {
      if (token === undefined) {
        refused ??= InvalidReason.CHUNK_MISSING
        continue
      }
      const opened = await openPayload(
        binding.protector,
        binding.transformers,
        token,
        this.#engine.nowSeconds(),
      )
      // A server-stored session's payload is an id, checked before any storage call.
      if (!opened.ok || (binding.storage && !SESSION_ID.test(opened.payload))) {
        refused ??= opened.ok ? InvalidReason.MALFORMED : opened.reason
        continue
      }
      state.incomingChunks = chunks
      return opened
    }
    state.incomingChunks = incomingChunks(incoming)
    return this.#invalid(binding, state, refused!)
  }

  async #load(binding: Binding, state: SessionState): Promise<void> {
    const opened = await this.#openIncoming(binding, state)
    state.loaded = true
    if (!opened) return
    let text = opened.payload
    let iat = opened.iat
    if (binding.storage) {
      const record = await storageCall(binding, () => binding.storage!.read(opened.payload))
      if (!record) return this.#invalid(binding, state, InvalidReason.NOT_FOUND)
      // The session's start comes from the storage: a `none` token's claims are the client's.
      const entry = readEntry(binding, record.data, opened, this.#engine.nowSeconds())
      if (typeof entry === 'string') return this.#invalid(binding, state, entry)
      text = entry.text
      iat = entry.iat
      state.end = entry.end
      state.meta = entry.meta
      state.id = opened.payload
      state.version = record.version
      // The stored entry's expiry is the session's; the token's only times its cookie.
      state.exp = Math.ceil(record.expiresAt / 1000)
    } else {
      state.end = ownEnd(binding, opened, this.#engine.nowSeconds())
    }
    const read = await readValue(binding.descriptor, text)
    if (!read.ok) return this.#invalid(binding, state, read.reason)
    state.value = read.value
    state.text = text
    state.iat = iat
    if (!binding.storage) state.exp = opened.exp
    if (opened.stale || (state.end === undefined && this.#rollingDue(binding, { iat, exp: opened.exp }))) {
      await this.#renew(binding, state, text)
    }
  }

  /**
   * An invalid incoming session: reported, absent, and its cookie or header cleared, unless several
   * cookies of its names came (the deletion might hit the user's own cookie, not a tossed one).
   */
  #invalid(binding: Binding, state: SessionState, reason: InvalidReason): undefined {
    forgetValue(state)
    if (!this.#committed && !state.several) state.pending = null
    const event = { session: binding.name, reason }
    this.#engine.onInvalid?.(event)
    this.#onInvalid?.(event)
    return undefined
  }

  /**
   * True when the session is idle-limited and past half of its idle time, so renewing moves its expiry;
   * also for a token that never expires (written before the session had an idle limit), which renewing
   * brings under the limit.
   */
  #rollingDue(binding: Binding, claims: Claims): boolean {
    if (binding.idle === null) return false
    if (claims.exp - this.#engine.nowSeconds() >= binding.idle / 2) return false
    return this.#claims(binding, claims.iat, undefined).exp > claims.exp
  }

  /**
   * Re-issues the session read (old key, or rolling expiry) without changing its value. Best effort:
   * when it cannot happen (response already sent, storage down) the session still holds until expiry.
   */
  async #renew(binding: Binding, state: SessionState, text: string): Promise<void> {
    if (this.#committed || this.#io.headersSent()) return
    try {
      if (!binding.storage) return await this.#issue(binding, state, text)
      const id = state.id!
      const claims = this.#claims(binding, state.iat, state.end)
      const ttl = ttlMillis(claims, this.#engine.nowSeconds())
      const now = this.#engine.nowSeconds()
      const data = writeEntry({ iat: claims.iat, end: state.end, seen: now, meta: state.meta, text })
      const version = await binding.storage.write(id, data, { ttl, expectedVersion: state.version })
      // Another request changed or ended the session meanwhile: its write (and token) stands, not ours.
      if (version === null) return
      state.version = version
      await this.#issueToken(binding, state, id, claims)
    } catch {
      // Renewal is an optimisation of lifetime; the read itself succeeded.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // writing

  #assertOpen(binding: Binding): void {
    if (this.#committed || this.#io.headersSent()) {
      throw new SessionError(
        'RESPONSE_COMMITTED',
        `session "${binding.name}": the response headers are already sent; change sessions before responding`,
        { session: binding.name },
      )
    }
  }

  /**
   * Claims for a token written now: the session keeps its start; it expires at its own end when it
   * has one, else by the descriptor's idle and absolute limits.
   */
  #claims(binding: Binding, start: number | undefined, end: number | undefined): Claims {
    const now = this.#engine.nowSeconds()
    return end === undefined ? sessionClaims(binding, start, now) : { iat: start ?? now, exp: end }
  }

  /** Protects `text` into a token for a client-stored session and marks it to be written. */
  #issue(binding: Binding, state: SessionState, text: string): Promise<void> {
    return this.#issueToken(binding, state, text, this.#claims(binding, state.iat, state.end))
  }

  /** Protects a payload (a client-stored value's text, or a server-stored id) and marks it to be written. */
  async #issueToken(binding: Binding, state: SessionState, payload: string, claims: Claims): Promise<void> {
    const transformed =
      binding.transformers.length === 0 ? payload : await transformWrite(binding.transformers, payload)
    const token = await binding.protector.protect(transformed, claims)
    this.#assertOpen(binding)
    assertFits(binding, token)
    state.iat = claims.iat
    state.exp = claims.exp
    state.pending = token
  }

  /**
   * Writes a server-stored session (a new id when it has none) and, for a new id or a new lifetime
   * (which the cookie follows), issues its token.
   */
  async #store(
    binding: Binding,
    state: SessionState,
    value: unknown,
    text: string,
    newLifetime?: boolean,
  ): Promise<void> {
    const isNew = state.id === undefined
    const id = state.id ?? this.#newId(binding)
    const claims = this.#claims(binding, state.iat, state.end)
    const stored = await storeValue(binding, {
      id,
      value,
      text,
      expectedVersion: isNew ? null : (state.version ?? null),
      claims,
      end: state.end,
      meta: state.meta,
      now: this.#engine.nowSeconds(),
    })
    state.id = id
    state.version = stored.version
    state.value = stored.value
    state.text = stored.text
    state.iat = claims.iat
    state.exp = claims.exp
    // A new id needs a token; so does a new lifetime, for the cookie to follow it.
    if (isNew || newLifetime) await this.#issueToken(binding, state, id, claims)
  }

  #newId(binding: Binding): string {
    if (!binding.identity) return this.#engine.randomId()
    const id = binding.identity({ header: (name) => this.#io.requestHeader(name.toLowerCase()) })
    if (typeof id !== 'string' || !SESSION_ID.test(id)) {
      throw new SessionError(
        'INVALID_OPTION',
        `session "${binding.name}": identity must return 8 to 128 characters of A-Z a-z 0-9 _ -`,
        { session: binding.name },
      )
    }
    return id
  }
}

const atSecond = (seconds: number) => new Date(seconds * 1000)

/** Refuses (`INVALID_OPTION`) metadata for a client-stored session, or beyond the limits. */
function assertMetadata(binding: Binding, meta: unknown): void {
  const rule = !binding.storage
    ? 'metadata needs a server-stored session'
    : !isMetadata(meta)
      ? 'metadata must be at most 16 string labels, names of 1 to 64 characters, values of at most 512'
      : undefined
  if (rule)
    throw new SessionError('INVALID_OPTION', `session "${binding.name}": ${rule}`, { session: binding.name })
}

/** A random pause before retrying a conflicted update, growing with the attempt (at most ~32 ms). */
function pause(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2 ** attempt, 32)
  return new Promise((resolve) => setTimeout(resolve, ms))
}
