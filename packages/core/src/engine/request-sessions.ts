import { transformRead, transformWrite } from '../codec/transformer'
import type { AnySessionDescriptor, SessionValue } from '../descriptor'
import { InvalidReason, isSessionError, SessionError } from '../errors'
import { SESSION_ID } from '../identity'
import { validateWith } from '../standard-schema'
import {
  decodeCookieValue,
  encodeCookieValue,
  MAX_COOKIE_BYTES,
  readCookie,
  serializeCookie,
} from '../transport/cookie'
import type { Claims } from '../wire/token'
import type { Binding } from './binding'
import type { EngineInternals } from './engine-internals'

/**
 * What an adapter gives the engine for one request: read request headers, write response headers.
 * Implementations are a few lines per framework; none builds a WHATWG Request.
 */
export interface SessionIO {
  /** A request header by lowercase name (`cookie` for the Cookie header). */
  requestHeader(name: string): string | undefined
  /** Adds a response header line (each Set-Cookie is one). */
  appendHeader(name: string, value: string): void
  /** Sets a response header, replacing any value. */
  setHeader(name: string, value: string): void
  /** True once the response headers are sent. */
  headersSent(): boolean
  /** True when the request arrived over https; decides `Secure` when it is `'auto'`. */
  isSecure(): boolean
}

/** The value a header session's response header carries to tell the browser to drop its copy. */
export const HEADER_CLEARED = 'cleared'

/** Per request, per session: what was read and what is to be written. */
interface State {
  loading: Promise<void> | undefined
  loaded: boolean
  /** The request carried a token for this session (valid or not). */
  incoming: boolean
  value: unknown
  /** Codec text of `value` as read or last written, for skipping equal writes. */
  text: string | undefined
  /** Start of the session being continued (kept on re-issue so the absolute limit holds). */
  iat: number | undefined
  /** Expiry of the token that travels (incoming, or about to be written). */
  exp: number
  /** Server-stored sessions: the id and the stored version read. */
  id: string | undefined
  version: number | undefined
  /** A token to write, or null to clear; undefined when nothing is to be written. */
  pending: string | null | undefined
}

function newState(): State {
  return {
    loading: undefined,
    loaded: false,
    incoming: false,
    value: null,
    text: undefined,
    iat: undefined,
    exp: 0,
    id: undefined,
    version: undefined,
    pending: undefined,
  }
}

/** A failure of the storage, with a message that carries no id and no value. */
export function storageError(session: string, cause: unknown): SessionError {
  if (isSessionError(cause)) return cause
  const summary = cause instanceof Error ? cause.name : 'error'
  return new SessionError('STORAGE_UNAVAILABLE', `session "${session}": the storage failed (${summary})`, {
    cause,
    session,
  })
}

/**
 * The sessions of one request: Ktor's `call.sessions`. Reading is lazy (nothing is parsed, verified
 * or fetched until `get`); writes are prepared when called and applied by {@link commit}.
 */
export class RequestSessions {
  readonly #engine: EngineInternals
  readonly #io: SessionIO
  readonly #states: (State | undefined)[] = []
  #committed = false

  constructor(engine: EngineInternals, io: SessionIO) {
    this.#engine = engine
    this.#io = io
  }

  /**
   * The session's value, or null when it is absent, expired, tampered with, fails its schema or its
   * stored entry is gone. Never throws for a bad token; throws `STORAGE_UNAVAILABLE` when a storage fails.
   */
  async get<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
  ): Promise<SessionValue<TDescriptor> | null> {
    const binding = this.#engine.binding(descriptor)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    return state.value as SessionValue<TDescriptor> | null
  }

  /**
   * Creates or replaces the session. The value is checked against the schema (`INVALID_VALUE`), encoded,
   * protected and, for server-stored sessions, written to the storage with compare-and-set.
   */
  async set<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    value: SessionValue<TDescriptor>,
  ): Promise<void> {
    const binding = this.#engine.binding(descriptor)
    this.#assertOpen(binding)
    let checked: unknown = value
    if (value === null || value === undefined) {
      throw new SessionError(
        'INVALID_VALUE',
        `session "${binding.name}": set needs a value; use clear to end the session`,
        { session: binding.name },
      )
    }
    if (binding.descriptor.schema) checked = await this.#validate(binding, value)
    const text = await this.#encode(binding, checked)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    if (binding.skipEqualWrites && state.value !== null && state.text === text) return
    if (binding.storage) {
      // #store keeps what it stored, which a merge may have changed.
      await this.#store(binding, state, checked, text)
    } else {
      await this.#issue(binding, state, text)
      state.value = checked
      state.text = text
    }
  }

  /** Ends the session: a server-stored entry is invalidated, and the browser's copy is cleared. */
  async clear(descriptor: AnySessionDescriptor): Promise<void> {
    const binding = this.#engine.binding(descriptor)
    this.#assertOpen(binding)
    const state = this.#state(binding)
    if (state.loading) await state.loading
    if (binding.storage) {
      const id = state.loaded ? state.id : await this.#incomingId(binding, state)
      if (id !== undefined) await this.#storageCall(binding, () => binding.storage!.invalidate(id))
    } else if (!state.loaded) {
      state.incoming = this.#readToken(binding) !== undefined
    }
    state.loaded = true
    state.value = null
    state.text = undefined
    state.iat = undefined
    state.id = undefined
    state.version = undefined
    state.pending = state.incoming ? null : undefined
  }

  /**
   * Reads, applies `fn` and writes back. For server-stored sessions a concurrent change is detected
   * (compare-and-set) and `fn` re-applied to the fresh value, up to `maxRetries` times.
   *
   * @example await req.sessions.update(Counter, (c) => ({ count: (c?.count ?? 0) + 1 }))
   */
  async update<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    fn: (
      current: SessionValue<TDescriptor> | null,
    ) => SessionValue<TDescriptor> | Promise<SessionValue<TDescriptor>>,
  ): Promise<SessionValue<TDescriptor>> {
    const binding = this.#engine.binding(descriptor)
    for (let attempt = 1; ; attempt++) {
      const next = await fn(await this.get(descriptor))
      try {
        await this.set(descriptor, next)
        // What was stored: `next`, or what a merge made of it.
        return this.#state(binding).value as SessionValue<TDescriptor>
      } catch (error) {
        if (!isSessionError(error, 'CONFLICT') || attempt >= binding.maxRetries) throw error
        // Read afresh; if the entry is gone meanwhile, the next set starts a new session.
        const state = this.#state(binding)
        state.loaded = false
        state.loading = undefined
        state.value = null
        state.text = undefined
        state.iat = undefined
        state.id = undefined
        state.version = undefined
      }
    }
  }

  /** The session's value, or `init()` stored as the new session when there is none. */
  async getOrSet<TDescriptor extends AnySessionDescriptor>(
    descriptor: TDescriptor,
    init: () => SessionValue<TDescriptor> | Promise<SessionValue<TDescriptor>>,
  ): Promise<SessionValue<TDescriptor>> {
    const current = await this.get(descriptor)
    if (current !== null) return current
    const value = await init()
    await this.set(descriptor, value)
    return value
  }

  /**
   * Gives the current session a new identity, against session fixation (call it at login): a
   * server-stored session moves to a new id and the old one is invalidated; a client-stored one
   * starts a new lifetime. Does nothing when there is no session.
   */
  async regenerate(descriptor: AnySessionDescriptor): Promise<void> {
    const binding = this.#engine.binding(descriptor)
    this.#assertOpen(binding)
    const state = this.#state(binding)
    if (!state.loaded) await this.#ensureLoaded(binding, state)
    if (state.value === null || state.text === undefined) return
    state.iat = undefined
    if (!binding.storage) return this.#issue(binding, state, state.text)
    const oldId = state.id
    state.id = undefined
    state.version = undefined
    await this.#store(binding, state, state.value, state.text)
    if (oldId !== undefined) await this.#storageCall(binding, () => binding.storage!.invalidate(oldId))
  }

  /** The id of a server-stored session, or null when there is none (for "sign out other devices"). */
  async id(descriptor: AnySessionDescriptor): Promise<string | null> {
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
    for (let i = 0; i < states.length; i++) {
      const state = states[i]
      if (state?.pending === undefined) continue
      const binding = this.#engine.bindings[i]!
      if (binding.cookie) this.#io.appendHeader('set-cookie', this.#cookieLine(binding, state))
      else this.#writeHeader(binding, state.pending)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // reading

  #state(binding: Binding): State {
    let state = this.#states[binding.index]
    if (!state) this.#states[binding.index] = state = newState()
    return state
  }

  #ensureLoaded(binding: Binding, state: State): Promise<void> {
    state.loading ??= this.#load(binding, state)
    return state.loading
  }

  /** The raw incoming token, after cookie decoding; undefined when the request carries none. */
  #readToken(binding: Binding): string | undefined {
    if (!binding.cookie) {
      const value = this.#io.requestHeader(binding.headerKey)
      return value === undefined || value === '' || value === HEADER_CLEARED ? undefined : value
    }
    const raw = readCookie(this.#io.requestHeader('cookie'), binding.name)
    if (raw === undefined || raw === '') return undefined
    return decodeCookieValue(raw, binding.cookie.encoding) ?? ''
  }

  /** Opens the incoming token: its payload (after transformers) and claims, or undefined when invalid. */
  async #openIncoming(
    binding: Binding,
    state: State,
  ): Promise<{ payload: string; claims: Claims; stale: boolean } | undefined> {
    const token = this.#readToken(binding)
    if (token === undefined) return undefined
    state.incoming = true
    const opened = await binding.protector.open(token, this.#engine.nowSeconds())
    if (!opened.ok) return this.#invalid(binding, state, opened.reason)
    const payload =
      binding.transformers.length === 0
        ? opened.payload
        : await transformRead(binding.transformers, opened.payload)
    if (payload === null) return this.#invalid(binding, state, InvalidReason.TRANSFORM_FAILED)
    if (binding.storage && !SESSION_ID.test(payload))
      return this.#invalid(binding, state, InvalidReason.MALFORMED)
    return { payload, claims: opened, stale: opened.stale }
  }

  /** The incoming id of a server-stored session, verified but not looked up. */
  async #incomingId(binding: Binding, state: State): Promise<string | undefined> {
    return (await this.#openIncoming(binding, state))?.payload
  }

  async #load(binding: Binding, state: State): Promise<void> {
    const opened = await this.#openIncoming(binding, state)
    state.loaded = true
    if (!opened) return
    let text = opened.payload
    if (binding.storage) {
      const record = await this.#storageCall(binding, () => binding.storage!.read(opened.payload))
      if (!record) return this.#forget(binding, state, InvalidReason.NOT_FOUND)
      text = record.data
      state.id = opened.payload
      state.version = record.version
    }
    let value: unknown
    try {
      const decoded = binding.codec.decode(text)
      value = typeof (decoded as PromiseLike<unknown>)?.then === 'function' ? await decoded : decoded
    } catch {
      return this.#forget(binding, state, InvalidReason.DECODE_FAILED)
    }
    if (binding.descriptor.schema) {
      const outcome = await validateWith(binding.descriptor.schema, value)
      if (!outcome.ok) return this.#forget(binding, state, InvalidReason.SCHEMA_FAILED)
      value = outcome.value
    }
    if (value === null || value === undefined)
      return this.#forget(binding, state, InvalidReason.DECODE_FAILED)
    state.value = value
    state.text = text
    state.iat = opened.claims.iat
    state.exp = opened.claims.exp
    if (opened.stale || this.#rollingDue(binding, opened.claims)) await this.#renew(binding, state, text)
  }

  /** An invalid incoming session: reported, absent, and its cookie or header cleared. */
  #invalid(binding: Binding, state: State, reason: InvalidReason): undefined {
    state.loaded = true
    state.value = null
    if (!this.#committed) state.pending = null
    this.#engine.onInvalid?.({ session: binding.name, reason })
    return undefined
  }

  /** Like {@link #invalid}, and a server-stored entry that cannot be read back is dropped too. */
  #forget(binding: Binding, state: State, reason: InvalidReason): undefined {
    state.id = undefined
    state.version = undefined
    return this.#invalid(binding, state, reason)
  }

  /** True when the session is idle-limited and past half of its idle time, so renewing moves its expiry. */
  #rollingDue(binding: Binding, claims: Claims): boolean {
    if (binding.idle === null || claims.exp === 0) return false
    const now = this.#engine.nowSeconds()
    if (claims.exp - now >= binding.idle / 2) return false
    return this.#claims(binding, claims.iat).exp > claims.exp
  }

  /**
   * Re-issues the session read (old key, or rolling expiry) without changing its value. Best effort:
   * when it cannot happen (response already sent, storage down) the session still holds until expiry.
   */
  async #renew(binding: Binding, state: State, text: string): Promise<void> {
    if (this.#committed || this.#io.headersSent()) return
    try {
      if (!binding.storage) return await this.#issue(binding, state, text)
      const id = state.id!
      const claims = this.#claims(binding, state.iat)
      const ttl = ttlMillis(claims, this.#engine.nowSeconds())
      const version = await binding.storage.write(id, text, { ttl, expectedVersion: state.version })
      if (version !== null) state.version = version
      await this.#issueId(binding, state, id, claims)
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

  async #validate(binding: Binding, value: unknown): Promise<unknown> {
    const outcome = await validateWith(binding.descriptor.schema!, value)
    if (outcome.ok) return outcome.value
    throw new SessionError(
      'INVALID_VALUE',
      `session "${binding.name}": the value fails the schema (${outcome.issues.length} issue${outcome.issues.length === 1 ? '' : 's'})`,
      { session: binding.name },
    )
  }

  async #encode(binding: Binding, value: unknown): Promise<string> {
    try {
      const text = binding.codec.encode(value)
      return typeof text === 'string' ? text : await text
    } catch (cause) {
      throw new SessionError(
        'ENCODE_FAILED',
        `session "${binding.name}": the ${binding.codec.name} codec cannot encode the value`,
        { cause: cause instanceof Error ? new Error(cause.name) : undefined, session: binding.name },
      )
    }
  }

  /** Claims for a token written now: the session keeps its start; expiry from idle and absolute limits. */
  #claims(binding: Binding, start: number | undefined): Claims {
    const now = this.#engine.nowSeconds()
    const iat = start ?? now
    const idleEnd = binding.idle === null ? Number.POSITIVE_INFINITY : now + binding.idle
    const absoluteEnd = binding.absolute === null ? Number.POSITIVE_INFINITY : iat + binding.absolute
    const exp = Math.min(idleEnd, absoluteEnd)
    return { iat, exp: exp === Number.POSITIVE_INFINITY ? 0 : exp }
  }

  /** Protects `text` into a token for a client-stored session and marks it to be written. */
  async #issue(binding: Binding, state: State, text: string): Promise<void> {
    const claims = this.#claims(binding, state.iat)
    const payload =
      binding.transformers.length === 0 ? text : await transformWrite(binding.transformers, text)
    this.#setPending(binding, state, await binding.protector.protect(payload, claims), claims)
  }

  /** Protects a server-stored session's id into a token and marks it to be written. */
  async #issueId(binding: Binding, state: State, id: string, claims: Claims): Promise<void> {
    const payload = binding.transformers.length === 0 ? id : await transformWrite(binding.transformers, id)
    this.#setPending(binding, state, await binding.protector.protect(payload, claims), claims)
  }

  #setPending(binding: Binding, state: State, token: string, claims: Claims): void {
    this.#assertOpen(binding)
    if (binding.cookie) {
      const bytes = binding.name.length + 1 + encodeCookieValue(token, binding.cookie.encoding).length
      if (bytes > MAX_COOKIE_BYTES) {
        throw new SessionError(
          'TOO_LARGE',
          `session "${binding.name}": the cookie would be ${bytes} bytes, over the browser limit of ${MAX_COOKIE_BYTES}; store it server-side or make it smaller`,
          { session: binding.name },
        )
      }
    }
    state.iat = claims.iat
    state.exp = claims.exp
    state.pending = token
  }

  /**
   * Writes a server-stored session with compare-and-set; on conflict merges when a merge function is
   * given. Keeps what it stored in `state`. An entry that vanished meanwhile (signed out, expired) is
   * never brought back under its old id: the merged value starts a new session.
   */
  async #store(binding: Binding, state: State, value: unknown, text: string): Promise<void> {
    const storage = binding.storage!
    let isNew = state.id === undefined
    let id = state.id ?? this.#newId(binding)
    let expectedVersion: number | null = isNew ? null : (state.version ?? null)
    let mine = value
    let data = text
    let claims = this.#claims(binding, state.iat)
    for (let attempt = 1; ; attempt++) {
      const owner = binding.owner?.(mine)
      const version = await this.#storageCall(binding, () =>
        storage.write(id, data, {
          ttl: ttlMillis(claims, this.#engine.nowSeconds()),
          expectedVersion,
          owner,
        }),
      )
      if (version !== null) {
        state.id = id
        state.version = version
        break
      }
      if (!binding.merge || attempt >= binding.maxRetries) {
        throw new SessionError(
          'CONFLICT',
          `session "${binding.name}": another request changed the session first; re-read and retry (or give a merge function)`,
          { session: binding.name },
        )
      }
      const theirs = await this.#storageCall(binding, () => storage.read(id))
      const theirValue = theirs ? await this.#decodeQuietly(binding, theirs.data) : null
      mine = await this.#checkMerged(binding, binding.merge(value, theirValue))
      data = await this.#encode(binding, mine)
      if (theirs) {
        expectedVersion = theirs.version
      } else {
        isNew = true
        id = this.#newId(binding)
        expectedVersion = null
        claims = this.#claims(binding, undefined)
      }
    }
    state.value = mine
    state.text = data
    if (isNew) await this.#issueId(binding, state, id, claims)
  }

  /** A merge result obeys the same rules as a value given to `set`. */
  async #checkMerged(binding: Binding, merged: unknown): Promise<unknown> {
    if (merged === null || merged === undefined) {
      throw new SessionError('INVALID_VALUE', `session "${binding.name}": merge returned no value`, {
        session: binding.name,
      })
    }
    return binding.descriptor.schema ? this.#validate(binding, merged) : merged
  }

  async #decodeQuietly(binding: Binding, text: string): Promise<unknown> {
    try {
      return await binding.codec.decode(text)
    } catch {
      return null
    }
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

  async #storageCall<T>(binding: Binding, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (cause) {
      throw storageError(binding.name, cause)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // committing

  #cookieLine(binding: Binding, state: State): string {
    const cookie = binding.cookie!
    const now = this.#engine.nowSeconds()
    const secure = this.#io.isSecure()
    if (state.pending === null) {
      return serializeCookie(binding.name, '', cookie.attributes, { maxAge: 0, now, secure })
    }
    const maxAge =
      cookie.maxAge !== undefined
        ? cookie.maxAge
        : state.exp === 0
          ? DEFAULT_MAX_AGE
          : Math.max(state.exp - now, 0)
    const value = encodeCookieValue(state.pending!, cookie.encoding)
    return serializeCookie(binding.name, value, cookie.attributes, { maxAge, now, secure })
  }

  #writeHeader(binding: Binding, token: string | null): void {
    this.#io.setHeader(binding.headerKey, token ?? HEADER_CLEARED)
    if (binding.exposeHeader && this.#io.requestHeader('origin') !== undefined) {
      this.#io.appendHeader('access-control-expose-headers', binding.name)
    }
  }
}

/** Ktor's default cookie lifetime, used when a token never expires. */
const DEFAULT_MAX_AGE = 7 * 86_400

function ttlMillis(claims: Claims, now: number): number {
  return claims.exp === 0 ? 0 : Math.max(claims.exp - now, 1) * 1000
}
