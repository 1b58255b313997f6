/** Per request, per session: what was read and what is to be written. */
export interface SessionState {
  loading: Promise<void> | undefined
  loaded: boolean
  /** The request carried a token for this session (valid or not). */
  incoming: boolean
  /** Cookie chunks the request carried (1 for an unchunked cookie), so leftovers can be cleared. */
  incomingChunks: number
  /** Several cookies of the session's names came (cookie tossing): an invalid one is not cleared. */
  several: boolean
  value: unknown
  /** Codec text of `value` as read or last written, for skipping equal writes. */
  text: string | undefined
  /** Start of the session being continued (kept on re-issue so the absolute limit holds). */
  iat: number | undefined
  /** Expiry of the token that travels (incoming, or about to be written). */
  exp: number
  /** Server-stored sessions: the id and the stored version read. */
  id: string | undefined
  version: number | undefined
  /** A token to write, or null to clear; undefined when nothing is to be written. */
  pending: string | null | undefined
}

export function newState(): SessionState {
  return {
    loading: undefined,
    loaded: false,
    incoming: false,
    incomingChunks: 0,
    several: false,
    value: null,
    text: undefined,
    iat: undefined,
    exp: 0,
    id: undefined,
    version: undefined,
    pending: undefined,
  }
}

/** Forgets the session's value and identity (what was read); pending writes stay. */
export function forgetValue(state: SessionState): void {
  state.value = null
  state.text = undefined
  state.iat = undefined
  state.id = undefined
  state.version = undefined
}
