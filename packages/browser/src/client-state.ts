import type { AnySessionDescriptor, InvalidSessionEvent } from '@tessera/core'
import type { Protector } from '@tessera/core/internal'
import type { ClientCookieOptions } from './client-types'
import type { HeaderStore } from './header-store'

/*
 * What the client knows of each registered session, and what its parts (reading, writing, fetch,
 * watching for changes) share: the registry, the options, the clock, and the way news of a change
 * travels.
 */

/** A token that opened, decoded and passed the schema. */
export interface ReadSession {
  readonly value: unknown
  readonly iat: number
  readonly exp: number
}

/** What opening a session's token needs: its descriptor and public keys, and the opener made on first use. */
export interface SessionReading {
  readonly descriptor: AnySessionDescriptor
  readonly name: string
  /** Ed25519 sessions: the public keys by key id (fetched on first need when given by URL). */
  keys: Readonly<Record<string, string>> | undefined
  opener?: Pick<Protector, 'open'>
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
  /** The token (or the cookie values of the session's name) the cached value came from; undefined when none. */
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

/** One client's registry and options, shared by its parts. */
export interface ClientState {
  readonly entries: readonly ClientEntry[]
  readonly byName: ReadonlyMap<string, ClientEntry>
  /** The client's `origins` option, as given (the fetch part resolves it). */
  readonly origins: readonly string[] | undefined
  readonly onInvalid: ((event: InvalidSessionEvent) => void) | undefined
  /** Fetches the public keys of an Ed25519 entry that has none yet, when the client was given a URL. */
  readonly keysFor: ((entry: ClientEntry) => Promise<void>) | undefined
  /** Unix seconds. */
  nowSeconds(): number
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

/** Tells the session's subscribers its value now: a readable session's value, else whether a token is held. */
export function notify(state: ClientState, entry: ClientEntry): void {
  const value = entry.readable
    ? currentValue(entry, state.nowSeconds())
    : entry.store?.get(entry.name) !== undefined
  for (const listener of [...entry.listeners]) {
    try {
      listener(value)
    } catch (error) {
      // One failing subscriber must not stop the others, nor the read or fetch that found the change.
      queueMicrotask(() => {
        throw error
      })
    }
  }
}
