import type { ChangeNews, ClientEntry, ClientState } from './client-state'
import { notify } from './client-state'
import { STORE_PREFIX } from './header-store'
import { cookieValue, resolve } from './session-reader'

/*
 * Telling subscribers, and watching for changes made elsewhere; loaded the first time a page
 * subscribes, refreshes, or has news for other tabs: the BroadcastChannel every tessera client of an
 * origin talks on, storage events for header tokens in localStorage, and cookie changes (CookieStore
 * events, else a re-check on focus).
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

/** Longest delay `setTimeout` honours (about 24.8 days); later expiries are seen by the next read. */
const MAX_TIMER_MS = 0x7fffffff

/** Tells a watched session's subscribers again when its value expires, so a hook re-renders to null on time. */
function armExpiry(state: ClientState, entry: ClientEntry): void {
  clearTimeout(entry.expiryTimer)
  const delay = ((entry.exp ?? 0) - state.nowSeconds()) * 1000
  if (entry.listeners.size > 0 && entry.exp && delay > 0 && delay <= MAX_TIMER_MS) {
    entry.expiryTimer = setTimeout(() => notify(state, entry), delay)
    // A client running under Node (tests, SSR) must not keep the process alive for a session's expiry.
    ;(entry.expiryTimer as { unref?: () => void }).unref?.()
  }
}

/** A session's visible value changed here: its subscribers and the other tabs hear it, as `news` says. */
export function changed(state: ClientState, entry: ClientEntry, news: ChangeNews): void {
  if (news.tell) armExpiry(state, entry)
  if (news.announce) announce(state, entry)
}

/** Pauses (ms) before each read while this page's view of a change catches up with the news of it. */
const CATCH_UP_PAUSES = [0, 10, 40, 150, 500, 1500]

/** Resolves after `ms`; under Node (tests, SSR) the timer keeps no process alive. */
function sleep(ms: number): Promise<void> {
  return new Promise((done) => (setTimeout(done, ms) as { unref?: () => void }).unref?.())
}

/** The registered session of that name, if any (the name comes from an event, so anything). */
function entryNamed(state: ClientState, name: unknown): ClientEntry | undefined {
  return typeof name === 'string' ? state.byName.get(name) : undefined
}

/**
 * Re-reads a session until `arrived` says this page sees the change it was told of, a few times at
 * most over about two seconds; the change reaches subscribers through the reads. A browser can tell a
 * page of a cookie change (a CookieStore event, another tab's message) before that page's
 * `document.cookie` shows it: a single read would then see the old value and miss the change.
 */
async function refresh(
  state: ClientState,
  entry: ClientEntry | undefined,
  arrived: () => boolean,
): Promise<void> {
  if (!entry) return
  for (const pause of CATCH_UP_PAUSES) {
    if (pause) await sleep(pause)
    // A client that stopped watching (closed, or no subscriber left) stops catching up too.
    if (!stops.has(state)) return
    await resolve(state, entry)
    if (arrived()) return
  }
}

/** On news that a session changed: re-reads a cookie until its token differs from the one held now. */
function refreshChanged(state: ClientState, name: unknown): void {
  const entry = entryNamed(state, name)
  const before = entry?.raw
  void refresh(state, entry, () => entry?.store !== undefined || entry?.raw !== before)
}

/** On a CookieStore event: re-reads until document.cookie holds what the event says (`undefined`: deleted). */
function refreshCookie(state: ClientState, name: unknown, value: string | undefined): void {
  void refresh(state, entryNamed(state, name), () => cookieValue(name as string) === value)
}

/** Re-reads every session somebody looks at: a cookie compare each, a verification only on change. */
export function refreshAll(state: ClientState): Promise<unknown> {
  return Promise.all(
    state.entries
      .filter((entry) => entry.settled || entry.listeners.size > 0)
      .map((entry) => resolve(state, entry)),
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
  if (channel) on(channel, 'message', (event: MessageEvent) => refreshChanged(state, event.data?.session))
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    on(window, 'storage', (event: StorageEvent) => {
      const prefix = STORE_PREFIX
      if (event.key?.startsWith(prefix)) refreshChanged(state, event.key.slice(prefix.length))
    })
    const cookieStore = (globalThis as { cookieStore?: CookieStore }).cookieStore
    if (cookieStore) {
      // The event says what the cookie now holds: re-read until document.cookie says so too.
      on(cookieStore, 'change', (event: CookieChangeEvent) => {
        for (const { name, value } of event.changed) refreshCookie(state, name, value)
        for (const { name } of event.deleted) refreshCookie(state, name, undefined)
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
  // A change made while this part loaded was heard by no one: look again at what the page has read.
  for (const entry of state.entries) if (entry.settled) void resolve(state, entry)
}

/** Stops listening, disarms the expiry timers and closes the client's channel (a later change opens a new one). */
export function stopWatching(state: ClientState): void {
  for (const entry of state.entries) clearTimeout(entry.expiryTimer)
  stops.get(state)?.()
  stops.delete(state)
  channels.get(state)?.close()
  channels.delete(state)
}

/** Watches while some session has a subscriber, and stops once none has (or the client closed). */
export function syncWatching(state: ClientState): void {
  if (state.entries.some((entry) => entry.listeners.size > 0)) {
    startWatching(state)
    // A session read before it had subscribers has its expiry timer armed now.
    for (const entry of state.entries) armExpiry(state, entry)
  } else {
    stopWatching(state)
  }
}
