import type { AnySessionDescriptor } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { closeChannel } from './change-channel'
import type { ClientEntry, ClientState } from './client-state'
import { currentValue } from './client-state'
import type {
  ClientSessionEntry,
  ClientSessionOptions,
  EntryDescriptor,
  FetchLike,
  SessionClient,
  SessionClientOptions,
} from './client-types'
import type { HeaderStore } from './header-store'
import { createHeaderStore } from './header-store'
import { resolve } from './session-reader'

/** A module imported on first use, and tried again after a failed load. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined
      throw error
    }))
}

/** What a session may be used for; `entryOf` refuses the rest with `INVALID_OPERATION`. */
type Need = 'readable' | 'owned' | 'clearable' | 'visible'

const REFUSED: Record<Need, string> = {
  readable: 'is not readable in the browser (only client-visible, client-stored sessions are)',
  owned: 'is written by the server; the browser writes only sessions with protection "none"',
  clearable: 'is written by the server; the browser clears only its own sessions and header tokens',
  visible: 'is invisible to the browser',
}

/**
 * Creates the browser's session client: typed, verified reads of client-visible sessions, writes of
 * browser-owned ones, header sessions on `fetch`, and change events. Reading is all a page loads up
 * front; writing, `fetch` and change watching are imported the first time they are used.
 *
 * @example
 * const client = createSessionClient({ sessions: [Cart, Login, { descriptor: Prefs, options: { maxAge: '1y' } }] })
 * const cart = await client.get(Cart)   // Cart's value, or null
 * await client.fetch('/api/orders')     // Login's header attached, a new token captured
 * client.subscribe(Cart, (cart) => render(cart))
 */
export function createSessionClient<const TEntries extends readonly ClientSessionEntry[]>(
  options: SessionClientOptions<TEntries>,
): SessionClient<EntryDescriptor<TEntries[number]> & AnySessionDescriptor> {
  const now = options.now ?? Date.now
  const nowSeconds = () => Math.floor(now() / 1000)
  const stores = new Map<unknown, HeaderStore>()
  const byName = new Map<string, ClientEntry>()
  const byDescriptor = new Map<AnySessionDescriptor, ClientEntry>()
  const entries = options.sessions.map((item): ClientEntry => {
    const descriptor: AnySessionDescriptor = 'descriptor' in item ? item.descriptor : item
    const entryOptions = ('descriptor' in item ? item.options : undefined) as ClientSessionOptions | undefined
    const { name, protection, transport } = descriptor
    const fail = (code: 'DUPLICATE' | 'INVALID_KEY', rule: string) => {
      throw new SessionError(code, `session "${name}" ${rule}`, { session: name })
    }
    if (byName.has(name)) fail('DUPLICATE', 'is registered twice')
    const readable = descriptor.storage === 'client' && descriptor.visibility === 'client'
    if (readable && protection === 'ed25519' && !descriptor.publicKeys && !options.publicKeys?.[name]) {
      fail(
        'INVALID_KEY',
        "is signed with Ed25519: give its public keys (descriptor's or client's publicKeys)",
      )
    }
    let store: HeaderStore | undefined
    if (transport === 'header') {
      const kind = entryOptions?.store ?? options.headerStore ?? 'session'
      store = stores.get(kind) ?? createHeaderStore(kind)
      stores.set(kind, store)
    }
    const entry: ClientEntry = {
      descriptor,
      name,
      readable,
      owned: readable && protection === 'none',
      cookie: transport === 'cookie' ? entryOptions : undefined,
      store,
      // A header token kept from an earlier visit is known at once; a later change is then news.
      raw: store?.get(name),
      settled: false,
      value: null,
      iat: 0,
      exp: 0,
      reading: undefined,
      opener: undefined,
      verifiers: new Map(),
      listeners: new Set(),
      expiryTimer: undefined,
    }
    byName.set(name, entry)
    byDescriptor.set(descriptor, entry)
    return entry
  })

  const page = globalThis.location?.origin
  const origins = new Set(
    options.origins?.map((origin) => {
      try {
        return new URL(origin).origin
      } catch {
        throw new SessionError('INVALID_OPTION', `origins: "${origin.slice(0, 100)}" is not an absolute URL`)
      }
    }) ?? (page && page !== 'null' ? [page] : []),
  )

  const state: ClientState = {
    entries,
    byName,
    origins,
    publicKeys: options.publicKeys,
    onInvalid: options.onInvalid,
    channel: undefined,
    nowSeconds,
    notify(entry) {
      const value = entry.readable
        ? currentValue(entry, nowSeconds())
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
    },
  }

  const entryOf = (descriptor: AnySessionDescriptor, need?: Need): ClientEntry => {
    const entry = byDescriptor.get(descriptor) ?? byName.get(descriptor?.name)
    if (!entry) {
      const name = descriptor?.name
      throw new SessionError('NOT_REGISTERED', `session "${name}" is not registered with this client`, {
        session: name,
      })
    }
    const allowed =
      need === undefined ||
      (need === 'readable' && entry.readable) ||
      (need === 'owned' && entry.owned) ||
      (need === 'clearable' && (entry.owned || entry.store !== undefined)) ||
      (need === 'visible' && (entry.readable || entry.store !== undefined))
    if (!allowed) {
      throw new SessionError('INVALID_OPERATION', `session "${entry.name}" ${REFUSED[need]}`, {
        session: entry.name,
      })
    }
    return entry
  }

  // What a page that only reads never downloads: writing, fetch, watching for changes.
  const writer = lazy(() => import('./session-writer'))
  const sender = lazy(() => import('./session-fetch'))
  const watcher = lazy(() => import('./change-watcher'))
  let watching = false
  let watched = false
  const fetchWith =
    (fetchLike: FetchLike): FetchLike =>
    async (input, init) =>
      (await sender()).sendWithSessions(state, fetchLike, input, init)

  const client: SessionClient<AnySessionDescriptor> = {
    get: async (descriptor) => resolve(state, entryOf(descriptor, 'readable')) as never,
    peek: (descriptor) => currentValue(entryOf(descriptor, 'readable'), nowSeconds()) as never,
    has(descriptor) {
      const entry = entryOf(descriptor)
      return entry.store?.get(entry.name) !== undefined
    },
    async set(descriptor, value) {
      const entry = entryOf(descriptor, 'owned')
      await (await writer()).writeSession(state, entry, value)
    },
    async clear(descriptor) {
      const entry = entryOf(descriptor, 'clearable')
      await (await writer()).clearSession(state, entry)
    },
    subscribe(descriptor, listener) {
      const entry = entryOf(descriptor, 'visible')
      entry.listeners.add(listener)
      if (!watching) {
        watching = watched = true
        void watcher().then((loaded) => watching && loaded.startWatching(state))
      }
      return () => {
        entry.listeners.delete(listener)
        if (watching && entries.every((each) => each.listeners.size === 0)) {
          watching = false
          void watcher().then((loaded) => !watching && loaded.stopWatching(state))
        }
      }
    },
    fetch: (input, init) => fetchWith((...args) => globalThis.fetch(...args))(input, init),
    wrapFetch: (fetchLike) => fetchWith(fetchLike) as never,
    async refresh() {
      await (await watcher()).refreshAll(state)
    },
    close() {
      watching = false
      for (const entry of entries) {
        entry.listeners.clear()
        clearTimeout(entry.expiryTimer)
      }
      if (watched) void watcher().then((loaded) => loaded.stopWatching(state))
      closeChannel(state)
    },
  }
  return client as never
}
