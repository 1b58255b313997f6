import { SessionError } from './errors'

/**
 * A span of time: a number of seconds, or a string such as `'90s'`, `'30m'`, `'12h'`, `'7d'`, `'2w'`.
 */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const

/** The largest Max-Age a cookie gets, as Ktor caps it: 2^31 - 1 seconds. */
export const MAX_DURATION_SECONDS = 2 ** 31 - 1

/**
 * Converts a {@link Duration} to whole seconds, capped at 2^31 - 1. Negative, infinite or unparseable
 * durations are a `SessionError('INVALID_OPTION')` naming `option` (and `session`, when given).
 *
 * @example toSeconds('7d') // 604800
 */
export function toSeconds(duration: Duration, option = 'duration', session?: string): number {
  const match = typeof duration === 'string' ? /^(\d+(?:\.\d+)?)([smhdw])$/.exec(duration) : null
  const seconds =
    typeof duration === 'number'
      ? duration
      : match
        ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS]
        : Number.NaN
  if (!(seconds >= 0 && seconds < Number.POSITIVE_INFINITY)) {
    throw new SessionError(
      'INVALID_OPTION',
      `${session === undefined ? '' : `session "${session}": `}${option} must be seconds (0 or more) or a string like '7d'`,
      { session },
    )
  }
  return Math.min(Math.floor(seconds), MAX_DURATION_SECONDS)
}
