import type { ChildProcess, ForkOptions } from 'node:child_process'
import { fork } from 'node:child_process'

/**
 * Every child the bench starts goes through here, so that none outlives the run: each is killed by
 * its own pid on exit, on an error and on SIGINT/SIGTERM. Children also exit by themselves when the
 * IPC channel closes (see `http/child.ts`), which covers a parent killed with SIGKILL.
 */
const live = new Set<ChildProcess>()
let installed = false

/**
 * The execArgv of a child: tsx, for the bench's own TypeScript. The tessera packages it imports are
 * their builds (`dist`), as an application has them (see `lib/builds.ts`).
 */
export function childExecArgv(): string[] {
  return ['--import', import.meta.resolve('tsx')]
}

/** Kills every child still running, by pid. Safe to call more than once. */
export function killChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  live.clear()
}

/** Installs the exit, signal and error handlers that kill every child; idempotent. */
export function installCleanup(): void {
  if (installed) return
  installed = true
  process.on('exit', killChildren)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killChildren()
      process.exit(130)
    })
  }
  process.on('uncaughtException', (error) => {
    killChildren()
    console.error(error)
    process.exit(1)
  })
  process.on('unhandledRejection', (error) => {
    killChildren()
    console.error(error)
    process.exit(1)
  })
}

/** A forked child with IPC, its stderr kept (the last 8 KB) for error reports. */
export interface TrackedChild {
  readonly child: ChildProcess
  /** What the child wrote to stderr so far (truncated to its last 8 KB). */
  stderr(): string
  /** Resolves with the exit code (or signal) once the child is gone. */
  readonly exited: Promise<number | string>
}

/** Forks `modulePath` (with tsx) and tracks it until it exits. */
export function forkTracked(
  modulePath: string,
  args: readonly string[],
  options: { execArgv?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): TrackedChild {
  installCleanup()
  const forkOptions: ForkOptions = {
    execArgv: [...childExecArgv(), ...(options.execArgv ?? [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...options.env },
  }
  const child = fork(modulePath, [...args], forkOptions)
  live.add(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192)
  })
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child)
      resolve(code ?? signal ?? 'unknown')
    })
  })
  return { child, stderr: () => stderr, exited }
}

/**
 * Asks a child to stop (a `stop` message, so a CPU profile gets written), then kills it if it has
 * not exited within `graceMs`.
 */
export async function stopChild(tracked: TrackedChild, graceMs = 5000): Promise<void> {
  const { child } = tracked
  if (child.exitCode !== null || child.signalCode !== null) return
  if (child.connected) child.send({ type: 'stop' })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs)
  })
  await Promise.race([tracked.exited, timeout])
  clearTimeout(timer)
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL')
    await tracked.exited
  }
}

/** Waits for the first IPC message matching `accept`, or rejects when the child exits or time runs out. */
export function nextMessage<T>(
  tracked: TrackedChild,
  accept: (message: any) => message is T,
  timeoutMs: number,
): Promise<T> {
  const { child } = tracked
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no answer from the child within ${timeoutMs} ms`)),
      timeoutMs,
    )
    const onMessage = (message: unknown) => {
      if (accept(message)) finish(undefined, message)
    }
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`the child exited (${code ?? signal}) before answering`))
    function finish(error?: Error, message?: T) {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (error) reject(error)
      else resolve(message as T)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}
