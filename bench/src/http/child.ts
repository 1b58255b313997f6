/**
 * One HTTP row's server, in its own process: starts the server on 127.0.0.1 (port 0), self-checks
 * it, and tells the parent its port and one session cookie per connection. It stops on a `stop`
 * message (so `--cpu-prof` can write its profile) and exits by itself when the parent goes away.
 *
 * Usage (forked by `load.ts`): child.ts <row id> <connections>
 */
import { selfCheck } from './self-check'
import { SERVERS } from './servers'
import type { BenchServer } from './servers/common'

const [id = '', connectionsText = '10'] = process.argv.slice(2)
let server: BenchServer | undefined

async function stop(code: number): Promise<never> {
  const timer = setTimeout(() => process.exit(code), 3000)
  timer.unref()
  try {
    await server?.close()
  } catch {
    // closing is best effort: the process ends right after
  }
  process.exit(code)
}

process.on('disconnect', () => void stop(0))
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stop') void stop(0)
})

async function main(): Promise<void> {
  const start = SERVERS[id]
  if (!start) throw new Error(`unknown row "${id}"`)
  server = await start()
  const cookies = await selfCheck(server, Number(connectionsText))
  process.send?.({ type: 'ready', port: server.port, cookies, sessions: server.sessions })
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  process.send?.({ type: 'error', reason: reason.split('\n', 1)[0]!.slice(0, 300) })
  void stop(1)
})
