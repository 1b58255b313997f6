import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A server started by a child for one row: its port and how to stop it. */
export interface BenchServer {
  readonly port: number
  /** True when the server answers `READ_PATH` by only reading the session. */
  readonly readPath: boolean
  /** True when the server keeps sessions (the self-check then proves a round trip). */
  readonly sessions: boolean
  close(): Promise<void>
}

/** Listens on 127.0.0.1, port 0, and returns the port the system chose. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Closes a node:http server, dropping idle keep-alive connections first. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

/** Wraps a node:http server into a {@link BenchServer}. */
export async function benchServer(
  server: Server,
  flags: { sessions: boolean; readPath?: boolean },
  cleanup?: () => Promise<void>,
): Promise<BenchServer> {
  const port = await listen(server)
  return {
    port,
    sessions: flags.sessions,
    readPath: flags.readPath ?? false,
    async close() {
      await closeServer(server)
      await cleanup?.()
    },
  }
}
