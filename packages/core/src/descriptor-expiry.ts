import type { AnySessionDescriptor } from './descriptor'
import { toSeconds } from './duration'

/** A session's lifetime in whole seconds; null where that limit is off. */
export interface ExpirySeconds {
  readonly idle: number | null
  readonly absolute: number | null
}

const DEFAULT_IDLE_SECONDS = 7 * 86_400

/**
 * A descriptor's expiry in whole seconds, the defaults applied (7 days idle, no absolute limit); a
 * duration of 0 turns its limit off, as `null` does. `SessionError('INVALID_OPTION')` naming the
 * session for a duration that does not parse. The engine's registration (`checkDescriptor`) and the
 * browser's writes of its own sessions both count with it.
 *
 * @example expirySeconds(defineSession('cart', { expiry: { idle: '1h' } })) // { idle: 3600, absolute: null }
 */
export function expirySeconds({
  name,
  expiry,
}: Pick<AnySessionDescriptor, 'name' | 'expiry'>): ExpirySeconds {
  const idle = expiry?.idle
  const absolute = expiry?.absolute
  return {
    idle: idle === null ? null : toSeconds(idle ?? DEFAULT_IDLE_SECONDS, 'expiry.idle', name) || null,
    absolute: absolute == null ? null : toSeconds(absolute, 'expiry.absolute', name) || null,
  }
}
