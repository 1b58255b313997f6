import type * as Core from '@tessera/core'
import type { AnySessionDescriptor, Ed25519Verify, InvalidSessionEvent, Protector } from '@tessera/core'
import type { ClientCookieOptions } from './client-types'
import type { HeaderStore } from './header-store'
import type { ReadSession } from './session-reader'

/** One registered session, with what the client last read of it. */
export interface ClientEntry {
  readonly descriptor: AnySessionDescriptor
  readonly name: string
  /** Client-stored and browser-visible: `get` decodes it. */
  readonly readable: boolean
  /** Written by the browser (`protection: 'none'`): `set` writes it. */
  readonly owned: boolean
  /** Cookie sessions: the attributes the client writes with (and the encoding it reads with). */
  readonly cookie: ClientCookieOptions | undefined
  /** Header sessions: where the token is kept. */
  readonly store: HeaderStore | undefined
  /** The token the cached value came from; undefined when there was none. */
  raw: string | undefined
  /** Set once a token (or its absence) has been read and resolved. */
  settled: boolean
  /** The verified value of `raw`, or null. */
  value: unknown
  iat: number
  /** Expiry of the cached value, unix seconds; 0 for none. */
  exp: number
  /** The read in flight, so concurrent `get`s of one token share one verification. */
  reading: { readonly raw: string | undefined; readonly promise: Promise<unknown> } | undefined
  /** Ed25519 sessions: the opener, and each key id's verifier, prepared on first read. */
  opener: Pick<Protector, 'open'> | undefined
  readonly verifiers: Map<string, Promise<Ed25519Verify | undefined>>
  readonly listeners: Set<(value: any) => void>
  expiryTimer: ReturnType<typeof setTimeout> | undefined
}

/** The functions of core that the parts loaded on first use call (see {@link ClientState}). */
export type ClientCore = Pick<
  typeof Core,
  | 'SessionError'
  | 'checkDescriptor'
  | 'validateWith'
  | 'protectNone'
  | 'cookieAttributes'
  | 'encodeCookieValue'
  | 'toSeconds'
  | 'MAX_COOKIE_BYTES'
  | 'HEADER_CLEARED'
>

/**
 * What the client's parts share: the registry, the options, change notification, the reader and
 * core's functions. The parts loaded on first use (writing, fetch, watching) import nothing the page
 * already holds: they reach it all through this object. Were they to import it, esbuild would move
 * every shared module into chunks of their own that the page still loads up front: more files, each
 * compressed apart.
 */
export interface ClientState {
  readonly entries: readonly ClientEntry[]
  readonly byName: ReadonlyMap<string, ClientEntry>
  readonly origins: ReadonlySet<string>
  readonly publicKeys: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined
  readonly onInvalid: ((event: InvalidSessionEvent) => void) | undefined
  readonly core: ClientCore
  /** Prefix of the Web Storage keys of header tokens: storage events with it are tessera's. */
  readonly storePrefix: string
  /** Unix seconds. */
  nowSeconds(): number
  /** Tells the entry's subscribers about its current value. */
  notify(entry: ClientEntry): void
  /** The session's value for the token held now (`resolve` of session-reader). */
  read(entry: ClientEntry): Promise<unknown>
  /** Records a token and what it holds, telling subscribers and other tabs of a change (`commit` of session-reader). */
  commit(entry: ClientEntry, raw: string | undefined, read: ReadSession | null): void
  /** The channel to other tabs, opened on first need; null where BroadcastChannel is missing. */
  channel(): BroadcastChannel | null
  /** Closes the channel (a later change opens a new one). */
  closeChannel(): void
}

/** The value a subscriber or `peek` sees now: null once the cached value has expired. */
export function currentValue(entry: ClientEntry, nowSeconds: number): unknown {
  return entry.exp !== 0 && nowSeconds >= entry.exp ? null : entry.value
}
