import type { AnySessionDescriptor } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { assertNameFor, checkPublicKeys, isReadable, loadOnce } from '@tessera/core/internal'
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
import type { KeysByName } from './public-keys'
import { resolve } from './session-reader'

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
  const fail = (code: SessionError['code'], name: string | undefined, problem: string): never => {
    throw new SessionError(code, `session "${name}" ${problem}`, { session: name })
  }
  const { publicKeys } = options
  const keysUrl = typeof publicKeys === 'string' ? publicKeys : undefined
  const stores = new Map<unknown, HeaderStore>()
  const byName = new Map<string, ClientEntry>()
  const byDescriptor = new Map<AnySessionDescriptor, ClientEntry>()
  const entries = options.sessions.map((item): ClientEntry => {
    const descriptor: AnySessionDescriptor = 'descriptor' in item ? item.descriptor : item
    const entryOptions = ('descriptor' in item ? item.options : undefined) as ClientSessionOptions | undefined
    const { name, protection } = descriptor
    if (byName.has(name)) fail('DUPLICATE', name, 'is registered twice')
    assertNameFor(name, descriptor.transport)
    const readable = isReadable(descriptor)
    // A URL has no entry of the session's name: its keys come later, fetched and checked on first read.
    const keys = descriptor.publicKeys ?? (publicKeys as KeysByName | undefined)?.[name]
    // Keys given by URL are checked once fetched, on the first read.
    if (readable && protection === 'ed25519' && !keysUrl) checkPublicKeys(name, keys)
    let store: HeaderStore | undefined
    if (descriptor.transport === 'header') {
      const kind = entryOptions?.store ?? options.headerStore ?? 'session'
      store = stores.get(kind) ?? createHeaderStore(kind)
      stores.set(kind, store)
    }
    const entry: ClientEntry = {
      descriptor,
      name,
      readable,
      owned: readable && protection === 'none',
      cookie: store ? undefined : entryOptions,
      store,
      keys,
      listeners: new Set(),
      // A header token kept from an earlier visit is known at once; a later change is then news.
      raw: store?.get(name),
    }
    byName.set(name, entry)
    byDescriptor.set(descriptor, entry)
    return entry
  })

  // What a page that only reads never downloads: writing (with js-cookie), fetch, watching for
  // changes. Each is imported on its first use (and again after a failed import).
  const writer = loadOnce(() => import('./session-writer'))
  const sender = loadOnce(() => import('./session-fetch'))
  // Once loaded, the watching part is called at once: subscribers hear a change as it is read.
  const watcher = loadOnce(() => import('./change-watcher'))
  let watching = false
  const watch = (then: (loaded: typeof import('./change-watcher')) => void) => {
    watching = true
    const loaded = watcher.now()
    if (loaded) then(loaded)
    else void Promise.resolve(watcher()).then(then)
  }

  const state: ClientState = {
    entries,
    byName,
    origins: options.origins,
    onInvalid: options.onInvalid,
    // Keys given by URL: fetched (by a part a page without one never downloads) on the first read.
    keysFor: keysUrl
      ? async (entry) => (await import('./public-keys')).keysFor(state, entry, keysUrl)
      : undefined,
    nowSeconds,
    changed: (entry, news) => watch((loaded) => loaded.changed(state, entry, news)),
  }

  /**
   * The entry of a registered session, refused (`INVALID_OPERATION`) when `allowed` says no. A session
   * is its descriptor, as on the server: another descriptor of a registered name (its own schema,
   * say) is `NOT_REGISTERED`, never read or written with the registered one's rules.
   */
  const entryOf = (
    // A descriptor, typed by SessionClient's methods; what the types refuse fails here at run time.
    given: unknown,
    allowed: (entry: ClientEntry) => unknown = () => true,
    refusal = '',
  ): ClientEntry => {
    const descriptor = given as AnySessionDescriptor
    const entry = byDescriptor.get(descriptor)
    if (!entry) {
      const problem = byName.has(descriptor?.name)
        ? 'is registered with another descriptor'
        : 'is not registered with this client'
      return fail('NOT_REGISTERED', descriptor?.name, problem)
    }
    if (!allowed(entry)) fail('INVALID_OPERATION', entry.name, refusal)
    return entry
  }
  const readable = (descriptor: unknown) =>
    entryOf(descriptor, (entry) => entry.readable, 'is not client-visible')
  const writable = (descriptor: unknown, clearing?: boolean) =>
    entryOf(descriptor, (entry) => entry.owned || (clearing && entry.store), 'is written by the server')
  const fetchWith =
    (fetchLike: FetchLike): FetchLike =>
    async (input, init) =>
      (await sender()).sendWithSessions(state, fetchLike, input, init)

  const client: SessionClient<AnySessionDescriptor> = {
    get: async (descriptor) => resolve(state, readable(descriptor)) as never,
    peek: (descriptor) => currentValue(readable(descriptor), nowSeconds()) as never,
    has(descriptor) {
      const entry = entryOf(descriptor)
      return entry.store?.get(entry.name) !== undefined
    },
    async set(descriptor, value) {
      const entry = writable(descriptor)
      await (await writer()).writeSession(state, entry, value)
    },
    async clear(descriptor) {
      const entry = writable(descriptor, true)
      await (await writer()).clearSession(state, entry)
    },
    subscribe(descriptor, listener) {
      const entry = entryOf(descriptor, (each) => each.readable || each.store, 'is invisible to the browser')
      const sync = () => watch((loaded) => loaded.syncWatching(state))
      entry.listeners.add(listener)
      sync()
      return () => {
        entry.listeners.delete(listener)
        sync()
      }
    },
    fetch: (input, init) => fetchWith((...args) => globalThis.fetch(...args))(input, init),
    wrapFetch: (fetchLike) => fetchWith(fetchLike) as never,
    async refresh() {
      await (await watcher()).refreshAll(state)
    },
    close() {
      for (const entry of entries) entry.listeners.clear()
      if (watching) watch((loaded) => loaded.stopWatching(state))
    },
  }
  return client as never
}
