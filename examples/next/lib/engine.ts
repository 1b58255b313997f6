// The server's engine: core's, on WebCrypto, so the same one runs in middleware (the edge runtime,
// where node:crypto is not available), Server Components, Server Actions and Route Handlers.
import { cookie, createSessionEngine, type SessionEngine, webCrypto } from '@tessera/core'
import { Cart, Login } from './sessions'

let engine: SessionEngine | undefined

/** The engine, made on first use: `next build` loads this file without the secret. */
export function sessions(): SessionEngine {
  if (engine) return engine
  const secret = process.env.SESSION_SECRET
  if (secret === undefined) throw new Error('set SESSION_SECRET (32 bytes or more) to start the app')
  engine = createSessionEngine({
    secret,
    crypto: webCrypto,
    sessions: [cookie(Login, { maxAge: '1d' }), cookie(Cart, { maxAge: '7d' })],
  })
  return engine
}
