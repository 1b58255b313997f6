// The playground's server: `node dist-server/main.js` (built by the playground's build script).
// Flags: --host, --port, --storage memory|redis|postgres; or HOST, PORT, STORAGE, TESSERA_SECRET.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseServeOptions } from './options'
import type { PlaygroundServer } from './playground-server'
import { startPlaygroundServer } from './playground-server'
import { resolveSecret } from './secret'

const STEPS = 4
const step = (n: number, text: string) => console.log(`[serve ${n}/${STEPS}] ${text}`)

async function main(): Promise<void> {
  const options = parseServeOptions(process.argv.slice(2), process.env)
  const secret = resolveSecret(process.env)
  step(
    1,
    secret.source === 'env'
      ? 'secret: from TESSERA_SECRET'
      : 'secret: generated, sessions end on restart (set TESSERA_SECRET to keep them)',
  )
  const staticDir = fileURLToPath(new URL('../dist/', import.meta.url))
  let server: PlaygroundServer
  server = await startPlaygroundServer({
    ...options,
    secret,
    staticDir,
    onStep(name, detail) {
      if (name === 'storage') step(2, `storage for logins: ${detail}`)
      if (name === 'listening') {
        const files = readdirSync(staticDir, { recursive: true }).length
        step(3, `page: the built SPA from playground/dist (${files} files)`)
        step(4, `listening on ${detail}`)
      }
    },
  })
  console.log(`\n  tessera playground: ${server.url}/`)
  console.log(`  offline mode (msw, no server): ${server.url}/?offline\n`)
  console.log('  Ctrl+C stops it.')

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(`playground: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
