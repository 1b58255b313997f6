// Lists the source files whose code runs while a node:http server reads a signed cookie session,
// measured with V8's precise coverage: 200 reads to warm up, then the counters are reset and 50 more
// reads counted. Only the source files of packages/ are listed. The token cache is off, so every
// read verifies its token, as a read of a cookie this process did not write does (`--token-cache`:
// on, where a read of a token this process wrote or read skips the verification). Fails above
// MAX_FILES, the ceiling docs/architecture.md names; CI runs it.
//
//   pnpm --filter @tessera/node read-path [--token-cache]
import { createServer, request } from 'node:http'
import { Session } from 'node:inspector/promises'
import type { AddressInfo } from 'node:net'

const inspector = new Session()
inspector.connect()
await inspector.post('Profiler.enable')
await inspector.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true })
// Loaded once coverage is on, so that every function of theirs is counted.
const { cookie, defineSession } = await import('@tessera/core')
const { createSessions } = await import('@tessera/node')
const { withSessions } = await import('@tessera/node/http')

/** The most files a signed read may pass through. */
const MAX_FILES = 12

const Cart = defineSession<{ items: string[] }>()('cart', { protection: 'signed' })
const tokenCache = process.argv.includes('--token-cache') ? undefined : 0
const sessions = createSessions({ secret: 'a'.repeat(43), sessions: [cookie(Cart, { tokenCache })] })
const server = createServer(
  withSessions(sessions, async (req, res) => {
    if (req.url === '/write') await req.sessions.set(Cart, { items: ['tea'] })
    else await req.sessions.get(Cart)
    res.end()
  }),
)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address() as AddressInfo

const send = (path: string, cookieLine?: string) =>
  new Promise<string[]>((resolve, reject) => {
    const headers = cookieLine ? { cookie: cookieLine } : {}
    request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume().on('end', () => resolve(res.headers['set-cookie'] ?? []))
    })
      .on('error', reject)
      .end()
  })

const setCookie = (await send('/write'))[0]
if (!setCookie) throw new Error('the write set no cookie')
const line = setCookie.split(';')[0]!
for (let i = 0; i < 200; i++) await send('/read', line)

await inspector.post('Profiler.takePreciseCoverage') // resets the counters
for (let i = 0; i < 50; i++) {
  const written = await send('/read', line)
  if (written.length > 0) throw new Error('a read wrote a cookie')
}
const { result } = await inspector.post('Profiler.takePreciseCoverage')
server.close()

const root = new URL('../../', import.meta.url).href
const ran = result
  .filter((script) => script.url.startsWith(root) && /^[a-z]+\/src\//.test(script.url.slice(root.length)))
  .filter((script) => script.functions.some((fn) => fn.ranges.some((range) => range.count > 0)))
  .map((script) => script.url.slice(root.length))
  .sort()
for (const file of ran) console.log(file)
console.log(`${ran.length} files (token cache ${tokenCache === 0 ? 'off' : 'on'})`)
if (ran.length > MAX_FILES) {
  console.error(`a signed read passes through ${ran.length} files, more than ${MAX_FILES}`)
  process.exitCode = 1
}
