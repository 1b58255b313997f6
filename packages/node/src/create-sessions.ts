import type { SessionCrypto, SessionEngine, SessionEngineOptions } from '@tessera/core'
import { createSessionEngine } from '@tessera/core'
import { nodeCrypto } from './crypto/node-crypto'

/** Options of {@link createSessions}: core's engine options, with `node:crypto` as the default crypto. */
export interface CreateSessionsOptions extends SessionEngineOptions {
  /** The runtime's primitives. @default nodeCrypto */
  readonly crypto?: SessionCrypto | undefined
}

/**
 * Creates the sessions of a Node server (Ktor's `install(Sessions) { … }`): the portable engine of
 * `@tessera/core` on native `node:crypto`. Two sessions with the same name or descriptor are a
 * `SessionError('DUPLICATE')`; a secret under 32 bytes is a `SessionError('INVALID_KEY')`.
 * Hand the result to an adapter: `withSessions` (node:http), `expressSessions`, `fastifySessions`,
 * or the fetch wrapper.
 *
 * @example
 * const sessions = createSessions({
 *   secret: process.env.SESSION_SECRET!,
 *   sessions: [cookie(Cart, { maxAge: '7d' }), header(Login, { storage: redisStorage(redis) })],
 * })
 */
export function createSessions(options: CreateSessionsOptions): SessionEngine {
  return createSessionEngine({ ...options, crypto: options.crypto ?? nodeCrypto })
}
