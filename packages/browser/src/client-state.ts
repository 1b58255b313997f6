import type { ClientKit, InvalidSessionEvent } from '@tessera/core'
import type { ClientCookieOptions } from './client-types'
import type { HeaderStore } from './header-store'
import type { SessionReading } from './session-reader'

/** A token that opened, decoded and passed the schema. */
export interface ReadSession {
  readonly value: unknown
  readonly iat: number
  readonly exp: number
}

/** One registered session, with what the client last read of it. */
export interface ClientEntry extends SessionReading {
  /** Client-stored, browser-visible, and Ed25519 or `none`: `get` decodes it. */
  readonly readable: boolean
  /** Written by the browser (`protection: 'none'`): `set` writes it. */
  readonly owned: boolean
  /** Cookie sessions: the attributes the client writes with (and the encoding it reads with). */
  readonly cookie: ClientCookieOptions | undefined
  /** Header sessions: where the token is kept. */
  readonly store: HeaderStore | undefined
  readonly listeners: Set<(value: any) => void>
  /** The token the cached value came from; undefined when there was none. */
  raw?: string | undefined
  /** Set once a token (or its absence) has been read and resolved. */
  settled?: boolean
  /** The verified value of `raw` (null or undefined: none). */
  value?: unknown
  iat?: number
  /** Expiry of the cached value, unix seconds; 0 or undefined for none. */
  exp?: number
  /** The read in flight, so concurrent `get`s of one token share one verification. */
  reading?: { readonly raw: string | undefined; readonly promise: Promise<unknown> } | undefined
  /** Tells subscribers when the cached value expires (armed by the watching part). */
  expiryTimer?: ReturnType<typeof setTimeout>
}

/** Who hears of a change: the session's subscribers, the other tabs. */
export interface ChangeNews {
  readonly tell: boolean
  readonly announce: boolean
}

/**
 * What the client hands the parts it loads on first use (writing, fetch, watching): its registry,
 * its options, its own reading functions, and core's client kit. Those parts import no module the
 * page already holds, core's index included: a bundler would otherwise split every module that both
 * sides reach into chunks of their own, which the page then loads up front as extra files. What they
 * need of core beyond the page's share they load with the kit, on their first use.
 */
export interface ClientState {
  readonly entries: readonly ClientEntry[]
  readonly byName: ReadonlyMap<string, ClientEntry>
  /** The client's `origins` option, as given (the fetch part resolves it). */
  readonly origins: readonly string[] | undefined
  /** Prefix of the Web Storage keys of header tokens: storage events with it are tessera's. */
  readonly storePrefix: string
  readonly onInvalid: ((event: InvalidSessionEvent) => void) | undefined
  /** Unix seconds. */
  nowSeconds(): number
  /** Core's helpers for writing and carrying sessions (`loadClientKit`), loaded on first need. */
  kit(): Promise<ClientKit>
  /** The value a subscriber or `peek` sees now (`currentValue`): null when none, or once expired. */
  current(entry: ClientEntry): unknown
  /** The session's value for the token held now (`resolve` of session-reader). */
  read(entry: ClientEntry): Promise<unknown>
  /** The named cookie's value as this page sees it now (`cookieValue` of session-reader). */
  cookie(name: string): string | undefined
  /** Records a token and what it holds, telling subscribers and other tabs of a change (`commit` of session-reader). */
  commit(entry: ClientEntry, raw: string | undefined, read: ReadSession | null): void
  /**
   * The session's visible value changed: the watching part (loaded on first need) tells its
   * subscribers (`tell`) and the other tabs (`announce`).
   */
  changed(entry: ClientEntry, news: ChangeNews): void
}

/** The value a read, a subscriber or `peek` sees now: null when there is none, or once it has expired. */
export function currentValue(read: { value?: unknown; exp?: number } | null, nowSeconds: number): unknown {
  return read?.exp && nowSeconds >= read.exp ? null : (read?.value ?? null)
}
