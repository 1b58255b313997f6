import type { ClientState } from './client-state'

/** The BroadcastChannel every tessera client of an origin talks on. */
export const CHANNEL = 'tessera:sessions'

/** A change message: the name of the session that changed (never its token or value). */
export interface ChangeMessage {
  readonly session: string
}

/** One client's channel to the other tabs: opened on first need, null where BroadcastChannel is missing. */
export function createChannel(): Pick<ClientState, 'channel' | 'closeChannel'> {
  let channel: BroadcastChannel | null | undefined
  return {
    channel: () =>
      (channel ??= typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null),
    closeChannel() {
      channel?.close()
      channel = undefined
    },
  }
}
