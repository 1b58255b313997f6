import { connect } from 'node:net'

/** What pg's `Client` knows of its server session, enough to cancel its running statement. */
interface SessionKeys {
  readonly processID?: unknown
  readonly secretKey?: unknown
  readonly host?: unknown
  readonly port?: unknown
}

/** The protocol's CancelRequest code (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102

/**
 * Asks the server to cancel the statement `client` is running: a CancelRequest on a fresh socket,
 * as psql's Ctrl-C sends. Best effort and bounded: resolves once the server has read the request
 * (it closes the socket), or after `within` ms, or at once when the client does not expose its
 * session keys (a pool that is not pg's). A statement that already finished stays done.
 */
export function cancelStatement(client: unknown, within: number): Promise<void> {
  const { processID, secretKey, host, port } = client as SessionKeys
  if (!Number.isInteger(processID) || !Number.isInteger(secretKey) || !Number.isInteger(port)) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const address = typeof host === 'string' && host !== '' ? host : 'localhost'
    const socket = address.startsWith('/')
      ? connect(`${address}/.s.PGSQL.${port}`)
      : connect({ host: address, port: port as number })
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve()
    }
    const timer = setTimeout(done, within)
    socket.once('connect', () => {
      const request = Buffer.alloc(16)
      request.writeInt32BE(16, 0)
      request.writeInt32BE(CANCEL_REQUEST_CODE, 4)
      request.writeInt32BE(processID as number, 8)
      request.writeInt32BE(secretKey as number, 12)
      socket.end(request)
    })
    socket.once('close', done)
    socket.once('error', done)
  })
}
