// Starts the production build of an example app on 127.0.0.1 at a free port, waits until it answers,
// and stops it (and only it) afterwards.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'

/** A secret for the tests only (32+ bytes). */
export const TEST_SECRET = 'the example e2e tests sign with this secret, never use'

/** A port nothing listens on right now, as the OS hands one out. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  probe.close()
  if (address === null || typeof address === 'string') throw new Error('no port from the OS')
  return address.port
}

export interface AppServer {
  readonly origin: string
  stop(): Promise<void>
}

/** Runs `command args` with PORT and HOST set, until `path` answers (within 30 s). */
export async function startApp(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; readyPath?: string },
): Promise<AppServer> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      SESSION_SECRET: TEST_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      HOSTNAME: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const exited = once(child, 'exit')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${output}`)
    try {
      await fetch(`${origin}${options.readyPath ?? '/'}`, { redirect: 'manual' })
      return { origin, stop }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  await stop()
  throw new Error(`the app did not answer within 30 s:\n${output}`)
}
