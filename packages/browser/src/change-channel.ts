import type { ClientEntry, ClientState } from './client-state'

/** The BroadcastChannel every tessera client of an origin talks on. */
export const CHANNEL = 'tessera:sessions'

/** A change message: the name of the session that changed (never its token or value). */
export interface ChangeMessage {
  readonly session: string
}

/** The client's channel, opened on first need; null where BroadcastChannel is missing. */
export function channelOf(state: ClientState): BroadcastChannel | null {
  state.channel ??= typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null
  return state.channel
}

/** Tells the other tabs that a session changed here, so they re-read it. */
export function announce(state: ClientState, entry: ClientEntry): void {
  channelOf(state)?.postMessage({ session: entry.name } satisfies ChangeMessage)
}

/** Closes the client's channel (a later change opens a new one). */
export function closeChannel(state: ClientState): void {
  state.channel?.close()
  state.channel = undefined
}
