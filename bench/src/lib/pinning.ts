import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/*
 * The HTTP rows put the server under test and the load generator on different cores, so neither
 * steals the other's time slices: `taskset -c 0` for the server child, `taskset -c 1` for this
 * process, where autocannon runs. Where taskset is missing (or the machine has one core), nothing is
 * pinned and the reports say so.
 */

/** The core of the server under test, and the core of the load generator. */
export const SERVER_CORE = 0
export const LOAD_CORE = 1

/** Sets the CPU affinity of every thread of `pid`; false when taskset is missing or refuses. */
function setAffinity(pid: number, cores: string): boolean {
  const result = spawnSync('taskset', ['-a', '-p', '-c', cores, String(pid)], {
    stdio: 'ignore',
    timeout: 5000,
  })
  return result.status === 0
}

/** How the HTTP rows were placed, for the reports. */
export interface Pinning {
  readonly pinned: boolean
  readonly description: string
}

/** True when the machine can pin (taskset works and there are two cores or more). */
export function canPin(): boolean {
  if (availableParallelism() < 2) return false
  const probe = spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore', timeout: 5000 })
  return probe.status === 0
}

/** Pins this process (the load generator) to its core; returns what was done. */
export function pinLoadGenerator(): Pinning {
  if (canPin() && setAffinity(process.pid, String(LOAD_CORE))) {
    return {
      pinned: true,
      description: `server on core ${SERVER_CORE}, load generator on core ${LOAD_CORE} (taskset)`,
    }
  }
  const why = availableParallelism() < 2 ? 'one core' : 'taskset is missing or refused'
  return { pinned: false, description: `not pinned (${why}): server and load generator share the cores` }
}

/** Pins a server child to the server's core; a no-op when the run is not pinned. */
export function pinServer(pid: number | undefined, pinning: Pinning): void {
  if (pinning.pinned && pid !== undefined) setAffinity(pid, String(SERVER_CORE))
}

/** Gives this process every core back (after the HTTP rows). */
export function unpinLoadGenerator(pinning: Pinning): void {
  if (pinning.pinned) setAffinity(process.pid, `0-${availableParallelism() - 1}`)
}
