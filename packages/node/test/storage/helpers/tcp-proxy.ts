import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, to make faults on demand without touching the
 * server other tests use: `refuse()` closes the port (connections reset, new ones refused),
 * `blackhole()` accepts and forwards nothing (every command hangs), `forward()` restores service.
 */
export interface TcpProxy {
  readonly port: number
  forward(): Promise<void>
  refuse(): Promise<void>
  blackhole(): void
  close(): Promise<void>
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let silent = false
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
  }
  const onConnection = (client: Socket) => {
    track(client)
    if (silent) return
    const upstream = connect({ host: '127.0.0.1', port: targetPort })
    track(upstream)
    client.on('data', (chunk) => {
      if (!silent) upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (!silent) client.write(chunk)
    })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  }
  let server: Server | undefined
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer(onConnection)
      next.once('error', reject)
      next.listen({ host: '127.0.0.1', port }, () => {
        server = next
        resolve((next.address() as { port: number }).port)
      })
    })
  const stop = () =>
    new Promise<void>((resolve) => {
      const current = server
      server = undefined
      destroyAll()
      if (current) current.close(() => resolve())
      else resolve()
    })
  const port = await listen(0)
  return {
    port,
    async forward() {
      if (silent) {
        silent = false
        destroyAll() // connections that saw dropped bytes are beyond repair: clients reconnect
      }
      if (!server) await listen(port)
    },
    refuse: stop,
    blackhole() {
      silent = true
    },
    close: stop,
  }
}
