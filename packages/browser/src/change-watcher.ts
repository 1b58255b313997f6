import type { ClientState } from './client-state'

/*
 * Changes made elsewhere, loaded the first time a page subscribes, refreshes, or has news for other
 * tabs: the BroadcastChannel every tessera client of an origin talks on, storage events for header
 * tokens in localStorage, and cookie changes (CookieStore events, else a re-check on focus).
 */

/** The BroadcastChannel every tessera client of an origin talks on. */
export const CHANNEL = 'tessera:sessions'

/** A change message: the name of the session that changed (never its token or value). */
export interface ChangeMessage {
  readonly session: string
}

const channels = new WeakMap<ClientState, BroadcastChannel | null>()
const stops = new WeakMap<ClientState, () => void>()

/** The client's channel to the other tabs, opened on first need; null where BroadcastChannel is missing. */
function channelOf(state: ClientState): BroadcastChannel | null {
  let channel = channels.get(state)
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null
    channels.set(state, channel)
  }
  return channel
}

/** Tells the other tabs that a session changed here. */
export function announce(state: ClientState, entry: { readonly name: string }): void {
  channelOf(state)?.postMessage({ session: entry.name } satisfies ChangeMessage)
}

/** Re-reads the named session if it is registered; changes reach subscribers through the read. */
function refresh(state: ClientState, name: unknown): void {
  const entry = typeof name === 'string' ? state.byName.get(name) : undefined
  if (entry) void state.read(entry)
}

/** Re-reads every session somebody looks at: a cookie compare each, a verification only on change. */
export function refreshAll(state: ClientState): Promise<unknown> {
  return Promise.all(
    state.entries
      .filter((entry) => entry.settled || entry.listeners.size > 0)
      .map((entry) => state.read(entry)),
  )
}

/**
 * Starts listening for changes made elsewhere: other tabs (BroadcastChannel, and storage events for
 * header tokens in localStorage), and cookies written by responses or other tabs (CookieStore
 * `change` events where the browser has them, else a re-check when the window regains focus).
 */
function startWatching(state: ClientState): void {
  if (stops.has(state)) return
  const cleanups: (() => void)[] = []
  const on = (target: EventTarget, type: string, handler: (event: any) => void) => {
    target.addEventListener(type, handler)
    cleanups.push(() => target.removeEventListener(type, handler))
  }
  const channel = channelOf(state)
  if (channel) on(channel, 'message', (event: MessageEvent) => refresh(state, event.data?.session))
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    on(window, 'storage', (event: StorageEvent) => {
      const prefix = state.storePrefix
      if (event.key?.startsWith(prefix)) refresh(state, event.key.slice(prefix.length))
    })
    const cookieStore = (globalThis as { cookieStore?: CookieStore }).cookieStore
    if (cookieStore) {
      on(cookieStore, 'change', (event: CookieChangeEvent) => {
        for (const cookie of [...event.changed, ...event.deleted]) refresh(state, cookie.name)
      })
    } else {
      const check = () => void refreshAll(state)
      on(window, 'focus', check)
      on(document, 'visibilitychange', () => document.visibilityState === 'visible' && check())
    }
  }
  stops.set(state, () => {
    for (const cleanup of cleanups) cleanup()
  })
}

/** Stops listening and closes the client's channel (a later change opens a new one). */
export function stopWatching(state: ClientState): void {
  stops.get(state)?.()
  stops.delete(state)
  channels.get(state)?.close()
  channels.delete(state)
}

/** Watches while some session has a subscriber, and stops once none has (or the client closed). */
export function syncWatching(state: ClientState): void {
  if (state.entries.some((entry) => entry.listeners.size > 0)) startWatching(state)
  else stopWatching(state)
}
