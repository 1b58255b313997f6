import { type Duration, SessionError } from '@tessera/core'
import { toSeconds } from '@tessera/core/internal'

/**
 * Runs `sweep` every `interval` on an unref'd timer (it never keeps the process alive), one run at a
 * time. Failures are left to the next run: a sweep only reclaims space, sessions expire without it.
 * Returns the function that stops it.
 */
export function startSweeper(
  sweep: () => Promise<unknown>,
  interval: Duration | false,
  storage: string,
): () => void {
  if (interval === false) return () => {}
  const seconds = toSeconds(interval, `${storage} storage sweepInterval`)
  if (seconds < 1) {
    throw new SessionError(
      'INVALID_OPTION',
      `${storage} storage: sweepInterval must be at least one second, or false`,
    )
  }
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    sweep()
      .catch(() => {})
      .finally(() => {
        running = false
      })
  }, seconds * 1000)
  timer.unref()
  return () => clearInterval(timer)
}
