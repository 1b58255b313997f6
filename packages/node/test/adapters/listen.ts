import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Harness } from './sessions'

/** Listens on 127.0.0.1, port 0, and gives the base URL and a close that also drops idle keep-alive sockets. */
export function listen(server: Server): Promise<Harness> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            server.closeAllConnections()
          }),
      })
    })
  })
}
