/**
 * One HTTP row's server, in its own process: starts the server on 127.0.0.1 (port 0), self-checks
 * it, and tells the parent its port and one session cookie per connection. It answers a `cpu`
 * message with the CPU time it has used, and stops on a `stop` message and exits by itself when the parent goes away (the IPC channel closes).
 *
 * With `BENCH_PROFILE` set to a file path, the server's main thread is profiled from the moment it
 * is ready (after start-up and self-check: only warm-up and load) until it stops, and the profile
 * is written there.
 *
 * Usage (forked by `load.ts`): child.ts <row id> <connections>
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { selfCheck } from './self-check'
import { SERVERS } from './servers'
import type { BenchServer } from './servers/common'

const [id = '', connectionsText = '10'] = process.argv.slice(2)
const profilePath = process.env.BENCH_PROFILE
let server: BenchServer | undefined
let profiler: Session | undefined
let stopping = false

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    const timer = setTimeout(() => process.exit(code), 5000)
    timer.unref()
    try {
      if (profiler && profilePath) {
        const { profile } = await profiler.post('Profiler.stop')
        writeFileSync(profilePath, JSON.stringify(profile))
      }
      await server?.close()
    } catch {
      // best effort: the process ends right after
    }
    process.exit(code)
  }
  return new Promise<never>(() => {})
}

process.on('disconnect', () => void stop(0))
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') void stop(0)
  // The CPU time this process has used so far (user and system, µs): the parent reads it around a
  // measured window to tell what one request costs the server.
  if (message?.type === 'cpu') process.send?.({ type: 'cpu', ...process.cpuUsage() })
})

async function startProfiler(): Promise<void> {
  profiler = new Session()
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.setSamplingInterval', { interval: 200 })
  await profiler.post('Profiler.start')
}

async function main(): Promise<void> {
  const start = SERVERS[id]
  if (!start) throw new Error(`unknown row "${id}"`)
  server = await start()
  const cookies = await selfCheck(server, Number(connectionsText))
  if (profilePath) await startProfiler()
  process.send?.({ type: 'ready', port: server.port, cookies, sessions: server.sessions })
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  process.send?.({ type: 'error', reason: reason.split('\n', 1)[0]!.slice(0, 300) })
  void stop(1)
})
