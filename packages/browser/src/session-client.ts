import type { AnySessionDescriptor } from '@tessera/core'
import { SessionError } from '@tessera/core'
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

type Runtime = typeof import('./client-runtime')

let runtime: Promise<Runtime> | undefined
/** The client's working parts, loaded once per page on first need (and tried again after a failed load). */
function loadRuntime(): Promise<Runtime> {
  runtime ??= import('./client-runtime').catch((error: unknown) => {
    runtime = undefined
    throw error
  })
  return runtime
}

function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin
  } catch {
    throw new SessionError('INVALID_OPTION', `origins: "${origin.slice(0, 100)}" is not an absolute URL`)
  }
}

/**
 * Creates the browser's session client: typed, verified reads of client-visible sessions, writes of
 * browser-owned ones, header sessions on `fetch`, and change events.
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
  const stores = new Map<unknown, HeaderStore>()
  const storeFor = (kind: ClientSessionOptions['store']) => {
    const key = kind ?? options.headerStore ?? 'session'
    let store = stores.get(key)
    if (!store) {
      store = createHeaderStore(key)
      stores.set(key, store)
    }
    return store
  }

  const byName = new Map<string, ClientEntry>()
  const byDescriptor = new Map<AnySessionDescriptor, ClientEntry>()
  const entries = options.sessions.map((item): ClientEntry => {
    const descriptor: AnySessionDescriptor = 'descriptor' in item ? item.descriptor : item
    const entryOptions = ('descriptor' in item ? item.options : undefined) as ClientSessionOptions | undefined
    const { name } = descriptor
    if (byName.has(name)) {
      throw new SessionError('DUPLICATE', `session "${name}" is registered twice`, { session: name })
    }
    const readable = descriptor.storage === 'client' && descriptor.visibility === 'client'
    if (
      readable &&
      descriptor.protection === 'ed25519' &&
      !descriptor.publicKeys &&
      !options.publicKeys?.[name]
    ) {
      throw new SessionError(
        'INVALID_KEY',
        `session "${name}" is signed with Ed25519: give its public keys (descriptor publicKeys, or the client's publicKeys)`,
        { session: name },
      )
    }
    const store = descriptor.transport === 'header' ? storeFor(entryOptions?.store) : undefined
    const entry: ClientEntry = {
      descriptor,
      name,
      readable,
      owned: readable && descriptor.protection === 'none',
      cookie: descriptor.transport === 'cookie' ? entryOptions : undefined,
      store,
      // A header token kept from an earlier visit is known at once; a later change is then news.
      raw: store?.get(name),
      settled: false,
      value: null,
      iat: 0,
      exp: 0,
      reading: undefined,
      listeners: new Set(),
      expiryTimer: undefined,
    }
    byName.set(name, entry)
    byDescriptor.set(descriptor, entry)
    return entry
  })

  const pageOrigin = globalThis.location?.origin
  const origins = new Set(
    options.origins?.map(normalizeOrigin) ?? (pageOrigin && pageOrigin !== 'null' ? [pageOrigin] : []),
  )
  const nowSeconds = () => Math.floor(now() / 1000)

  const state: ClientState = {
    entries,
    byName,
    origins,
    publicKeys: options.publicKeys,
    onInvalid: options.onInvalid,
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

  const entryOf = (
    descriptor: AnySessionDescriptor,
    need?: 'readable' | 'owned' | 'clearable',
  ): ClientEntry => {
    const entry = byDescriptor.get(descriptor) ?? byName.get(descriptor?.name)
    if (!entry) {
      throw new SessionError(
        'NOT_REGISTERED',
        `session "${descriptor?.name}" is not registered with this client`,
        {
          session: descriptor?.name,
        },
      )
    }
    const allowed =
      need === undefined ||
      (need === 'readable' && entry.readable) ||
      (need === 'owned' && entry.owned) ||
      (need === 'clearable' && (entry.owned || entry.store !== undefined))
    if (!allowed) {
      throw new SessionError(
        'INVALID_OPERATION',
        need === 'readable'
          ? `session "${entry.name}" is not readable in the browser (only client-visible, client-stored sessions are)`
          : `session "${entry.name}" is written by the server; the browser writes only sessions with protection "none"`,
        { session: entry.name },
      )
    }
    return entry
  }

  let watching = false
  const fetchWith =
    (fetchLike: FetchLike): FetchLike =>
    async (input, init) =>
      (await loadRuntime()).sendWithSessions(state, fetchLike, input, init)

  // In a page, start loading the working parts now, in parallel with the app's own start-up.
  if (typeof document !== 'undefined') void loadRuntime().catch(() => undefined)

  const client: SessionClient<AnySessionDescriptor> = {
    async get(descriptor) {
      const entry = entryOf(descriptor, 'readable')
      return (await loadRuntime()).resolve(state, entry) as never
    },
    peek(descriptor) {
      return currentValue(entryOf(descriptor, 'readable'), nowSeconds()) as never
    },
    has(descriptor) {
      const entry = entryOf(descriptor)
      return entry.store !== undefined && entry.store.get(entry.name) !== undefined
    },
    async set(descriptor, value) {
      const entry = entryOf(descriptor, 'owned')
      await (await loadRuntime()).writeSession(state, entry, value)
    },
    async clear(descriptor) {
      const entry = entryOf(descriptor, 'clearable')
      ;(await loadRuntime()).clearSession(state, entry)
    },
    subscribe(descriptor, listener) {
      const entry = entryOf(descriptor)
      if (!entry.readable && !entry.store) {
        throw new SessionError('INVALID_OPERATION', `session "${entry.name}" is invisible to the browser`, {
          session: entry.name,
        })
      }
      entry.listeners.add(listener)
      if (!watching) {
        watching = true
        void loadRuntime().then((loaded) => watching && loaded.startWatching(state))
      }
      return () => {
        entry.listeners.delete(listener)
        if (watching && entries.every((each) => each.listeners.size === 0)) {
          watching = false
          void loadRuntime().then((loaded) => !watching && loaded.stopWatching(state))
        }
      }
    },
    fetch: (input, init) => fetchWith((...args) => globalThis.fetch(...args))(input, init),
    wrapFetch: (fetchLike) => fetchWith(fetchLike) as never,
    async refresh() {
      await (await loadRuntime()).refreshAll(state)
    },
    close() {
      watching = false
      for (const entry of entries) {
        entry.listeners.clear()
        clearTimeout(entry.expiryTimer)
      }
      void loadRuntime().then((loaded) => loaded.stopWatching(state))
    },
  }
  return client as never
}
