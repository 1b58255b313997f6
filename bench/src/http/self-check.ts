import { READ_PATH, RMW_PATH } from '../workload'
import type { BenchServer } from './servers/common'

/** A minimal cookie jar: the latest value of each cookie, as a Cookie header. */
class Jar {
  readonly #cookies = new Map<string, string>()

  take(response: Response): number {
    const lines = response.headers.getSetCookie()
    for (const line of lines) {
      const pair = line.split(';', 1)[0]!
      const at = pair.indexOf('=')
      if (at > 0) this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim())
    }
    return lines.length
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

const REQUEST_TIMEOUT_MS = 5000

async function call(port: number, path: string, jar: Jar): Promise<{ count: number; setCookies: number }> {
  const cookie = jar.header()
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: cookie ? { cookie } : {},
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`)
  const parsed = JSON.parse(text) as { count?: unknown }
  if (typeof parsed.count !== 'number') throw new Error(`GET ${path} answered without a count`)
  return { count: parsed.count, setCookies: jar.take(response) }
}

/** A padded cookie for rows without sessions, so every row's requests carry a similar header. */
const FILLER_COOKIE = `filler=${'x'.repeat(240)}`

/**
 * Proves the server works before it is measured, and returns one Cookie header per connection.
 *
 * For a session server: a first request creates the session (count 1, a Set-Cookie), a second one
 * carrying the cookie reads and changes it (count 2); where the server has a read-only path, a third
 * request reads count 2 and must get no Set-Cookie. Then `connections` fresh sessions are made, one
 * per load connection, so no two connections share (and race on) one session.
 */
export async function selfCheck(server: BenchServer, connections: number): Promise<string[]> {
  const { port } = server
  if (!server.sessions) {
    const { count } = await call(port, RMW_PATH, new Jar())
    if (count !== 1) throw new Error(`self-check: expected count 1, got ${count}`)
    return Array.from({ length: connections }, () => FILLER_COOKIE)
  }
  const jar = new Jar()
  const first = await call(port, RMW_PATH, jar)
  if (first.count !== 1 || first.setCookies === 0) {
    throw new Error(`self-check: a new session should answer count 1 with a Set-Cookie (got ${first.count})`)
  }
  const second = await call(port, RMW_PATH, jar)
  if (second.count !== 2)
    throw new Error(`self-check: the session did not round-trip (count ${second.count}, not 2)`)
  if (server.readPath) {
    const read = await call(port, READ_PATH, jar)
    if (read.count !== 2) throw new Error(`self-check: the read-only path read count ${read.count}, not 2`)
    if (read.setCookies !== 0) throw new Error('self-check: the read-only path sent a Set-Cookie')
  }
  const cookies: string[] = []
  for (let i = 0; i < connections; i++) {
    const own = new Jar()
    const made = await call(port, RMW_PATH, own)
    if (made.count !== 1 || made.setCookies === 0) throw new Error('self-check: could not make a session')
    cookies.push(own.header())
  }
  return cookies
}
