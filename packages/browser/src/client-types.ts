import type {
  AnySessionDescriptor,
  CookieEncoding,
  Duration,
  InvalidSessionEvent,
  SessionConfig,
  SessionDescriptor,
  SessionValue,
  Transport,
} from '@tessera/core'
import type { HeaderStore, HeaderStoreKind } from './header-store'

/**
 * A session the browser may read: its whole value travels (`storage: 'client'`), it is visible to the
 * browser (`visibility: 'client'`), and it is either signed by the server (`ed25519`) or owned by the
 * browser (`none`). Server-only, sealed and server-stored sessions are not readable, by type.
 *
 * @example
 * const Cart = defineSession('cart', { schema: cartSchema, visibility: 'client' }) // a ReadableSession
 */
export type ReadableSession = SessionDescriptor<
  any,
  {
    readonly transport: Transport
    readonly storage: 'client'
    readonly visibility: 'client'
    readonly protection: 'ed25519' | 'none'
  }
>

/**
 * A session the browser writes itself (`protection: 'none'`): preferences, a draft, a theme.
 *
 * @example
 * const Prefs = defineSession<{ theme: 'dark' | 'light' }>()('prefs', { visibility: 'client', protection: 'none' })
 */
export type BrowserOwnedSession = SessionDescriptor<
  any,
  {
    readonly transport: Transport
    readonly storage: 'client'
    readonly visibility: 'client'
    readonly protection: 'none'
  }
>

/**
 * The descriptor, when the browser may read it; otherwise a sentence saying why not, which is what a
 * compile error then shows (instead of comparing the session with every readable one registered).
 *
 * @example
 * type Ok = Readable<typeof Cart, 'get'> // typeof Cart
 */
export type Readable<TDescriptor, TMethod extends string> = TDescriptor extends ReadableSession
  ? TDescriptor
  : `${TMethod}: this session is not readable in the browser (server-visible, sealed or server-stored); read it on the server`

/**
 * A session carried in a request/response header; the client attaches and captures its token.
 *
 * @example
 * const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
 */
export type HeaderSession = AnySessionDescriptor & { readonly transport: 'header' }

/**
 * Cookie attributes the client writes a browser-owned cookie session with (and the encoding it reads
 * any cookie session with).
 *
 * @example
 * createSessionClient({ sessions: [{ descriptor: Prefs, options: { maxAge: '52w', sameSite: 'strict' } }] })
 */
export interface ClientCookieOptions {
  /** @default '/' */
  readonly path?: string | undefined
  /** @default the page's host only */
  readonly domain?: string | undefined
  /** @default 'lax' */
  readonly sameSite?: 'lax' | 'strict' | 'none' | false | undefined
  /** `'auto'`: Secure when the page is served over https. @default 'auto' */
  readonly secure?: boolean | 'auto' | undefined
  /** CHIPS partitioned cookie (needs `secure: true`). @default false */
  readonly partitioned?: boolean | undefined
  /**
   * Cookie lifetime. `null`: a browser-session cookie.
   * @default the remaining lifetime of the session (7 days with the default expiry)
   */
  readonly maxAge?: Duration | null | undefined
  /** How the token is written into the cookie value; must match the server's. @default 'raw' */
  readonly encoding?: CookieEncoding | undefined
}

/**
 * Where a header session's token is kept between requests.
 *
 * @example
 * createSessionClient({ sessions: [{ descriptor: Login, options: { store: 'local' } }] })
 */
export interface ClientHeaderOptions {
  /** @default the client's `headerStore` */
  readonly store?: HeaderStoreKind | HeaderStore | undefined
}

/**
 * Per-session options of the client: cookie attributes for cookie sessions, a store for header sessions.
 *
 * @example
 * const options: ClientSessionOptions = { path: '/', maxAge: null }
 */
export type ClientSessionOptions = ClientCookieOptions & ClientHeaderOptions

/**
 * One session registered with the client: a descriptor, a server config made by core's `cookie(...)`
 * or `header(...)` (the client reads the cookie attributes and ignores server-only options), or a
 * descriptor with client options.
 *
 * @example
 * const sessions: ClientSessionEntry[] = [Cart, cookie(Prefs, { maxAge: '52w' }), { descriptor: Login, options: { store: 'memory' } }]
 */
export type ClientSessionEntry =
  | AnySessionDescriptor
  | SessionConfig
  | { readonly descriptor: AnySessionDescriptor; readonly options?: ClientSessionOptions | undefined }

/**
 * The descriptor of an entry.
 *
 * @example
 * type D = EntryDescriptor<{ descriptor: typeof Cart }> // typeof Cart
 */
export type EntryDescriptor<TEntry> = TEntry extends { readonly descriptor: infer TDescriptor }
  ? TDescriptor
  : TEntry

/**
 * Options of {@link createSessionClient}.
 *
 * @example
 * createSessionClient({ sessions: [Cart, Login], origins: [location.origin, 'https://api.example.com'], headerStore: 'local' })
 */
export interface SessionClientOptions<
  TEntries extends readonly ClientSessionEntry[] = readonly ClientSessionEntry[],
> {
  /** The sessions this client reads, writes or carries; each name once. */
  readonly sessions: TEntries
  /**
   * The origins header sessions are sent to (and cookies are sent to with `credentials: 'include'`),
   * and the only ones whose responses may set or clear a header session's token. A request to any
   * other origin goes out untouched, and a request carrying a header session never follows a redirect
   * out of them (see {@link SessionClient.fetch}). Resolved on the first `fetch`, which rejects with
   * `INVALID_OPTION` for anything but an absolute URL.
   * @default [location.origin]
   */
  readonly origins?: readonly string[] | undefined
  /**
   * Where header session tokens are kept: `'memory'` (gone on reload), `'session'` (sessionStorage:
   * this tab, survives reloads), `'local'` (localStorage: shared by tabs), or your own store.
   * @default 'session'
   */
  readonly headerStore?: HeaderStoreKind | HeaderStore | undefined
  /**
   * Ed25519 public keys by session name, then key id (what the server's `publicKeys()` returns), for
   * sessions whose descriptor carries none; or the URL of a route that answers them as JSON
   * (`res.json(await sessions.publicKeys())`). A URL is fetched once, on the first read of a session
   * that needs it; keys that are missing or not 32 bytes of base64url under a key id make that read
   * reject with `INVALID_KEY` (as a bad object does at once), a failed fetch too, and the next read
   * fetches again.
   */
  readonly publicKeys?: Readonly<Record<string, Readonly<Record<string, string>>>> | string | undefined
  /** Told why a session read as absent (tampered, expired...); never given the token. */
  readonly onInvalid?: ((event: InvalidSessionEvent) => void) | undefined
  /** Clock in unix milliseconds, for tests. @default Date.now */
  readonly now?: (() => number) | undefined
}

/**
 * A `fetch`-compatible function.
 *
 * @example
 * const api = ky.create({ fetch: client.wrapFetch(fetch as FetchLike) })
 */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/**
 * What a subscriber is told: the verified value (or null) for a readable session; for a header
 * session the browser cannot read, whether a token is held.
 *
 * @example
 * client.subscribe(Cart, (cart) => render(cart))
 * client.subscribe(Login, (signedIn) => setSignedIn(signedIn))
 */
export type SessionListener<TDescriptor> = TDescriptor extends ReadableSession
  ? (value: SessionValue<TDescriptor> | null) => void
  : (present: boolean) => void

/**
 * Typed sessions in the browser. Create it with {@link createSessionClient}. Each method takes a
 * descriptor the client was given: another descriptor, even one of a registered name, throws
 * `SessionError('NOT_REGISTERED')`, as the server's engine does.
 *
 * @example
 * const client: SessionClient<typeof Cart | typeof Login> = createSessionClient({ sessions: [Cart, Login] })
 */
export interface SessionClient<TRegistered extends AnySessionDescriptor = AnySessionDescriptor> {
  /**
   * The session's value: decoded, verified (Ed25519), unexpired and valid against the schema; null
   * otherwise. A verified value is cached until the cookie (or header token) changes.
   */
  get<TDescriptor extends TRegistered>(
    descriptor: Readable<TDescriptor, 'get'>,
  ): Promise<SessionValue<TDescriptor> | null>
  /** The last verified value, synchronously (null before the first `get` finishes, and once expired). */
  peek<TDescriptor extends TRegistered>(
    descriptor: Readable<TDescriptor, 'peek'>,
  ): SessionValue<TDescriptor> | null
  /** Whether a header session's token is held. */
  has<TDescriptor extends TRegistered>(
    descriptor: TDescriptor extends HeaderSession
      ? TDescriptor
      : 'has: only header sessions are held as a token; read a cookie session with get',
  ): boolean
  /** Creates or replaces a browser-owned session (schema-checked, encoded, written as a v1 `none` token). */
  set<TDescriptor extends TRegistered>(
    descriptor: TDescriptor extends BrowserOwnedSession
      ? TDescriptor
      : "set: this session is written by the server; the browser sets only protection: 'none' sessions",
    value: SessionValue<TDescriptor>,
  ): Promise<void>
  /** Ends a browser-owned session, or forgets the token of a header session. */
  clear<TDescriptor extends TRegistered>(
    descriptor: TDescriptor extends BrowserOwnedSession | HeaderSession
      ? TDescriptor
      : "clear: this cookie session is the server's to end; the browser clears protection: 'none' and header sessions",
  ): Promise<void>
  /**
   * Calls `listener` whenever the session changes: through this client, through a response, or in
   * another tab. Returns the unsubscribe function.
   */
  subscribe<TDescriptor extends TRegistered>(
    descriptor: TDescriptor extends ReadableSession | HeaderSession
      ? TDescriptor
      : 'subscribe: this session is invisible to the browser (a server-only cookie); subscribe to a readable or header session',
    listener: SessionListener<TDescriptor>,
  ): () => void
  /**
   * `fetch` with header sessions attached for the configured origins, never to a third party, and new
   * tokens captured from responses of those origins only. The target is resolved as fetch resolves
   * it; what does not resolve gets no header. A request carrying a header session never follows a
   * redirect out of the origins: in a browser, one to the page's own origin goes with
   * `mode: 'same-origin'` (a cross-origin redirect fails with fetch's `TypeError` before anything is
   * sent there) and one to another origin with `redirect: 'manual'` (any redirect rejects with
   * `SessionError` `REDIRECT_BLOCKED`); in Node, Deno, Bun and edge workers the client follows
   * redirects hop by hop inside the origins and rejects with `REDIRECT_BLOCKED` before leaving them.
   * The caller's own `redirect: 'manual'` or `'error'` is kept. docs/security.md has the details.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>
  /**
   * Wraps any `fetch`-compatible function (ky, ofetch, a test double) the same way as {@link fetch}.
   * The function must pass `redirect` and `mode` on to fetch: one that follows redirects regardless
   * sends the header where they lead (the client then rejects with `REDIRECT_BLOCKED` and captures
   * nothing, but too late for the header).
   */
  wrapFetch<TFetch extends FetchLike>(fetchLike: TFetch): TFetch
  /** Re-reads every session that has a subscriber or a cached value, and notifies changes. */
  refresh(): Promise<void>
  /** Stops listening to other tabs and to cookie changes. */
  close(): void
}
