import { randomBytes } from 'node:crypto'
import { MIN_SECRET_BYTES } from '@tessera/core/internal'

/** The master secret and where it came from (the secret itself is never printed). */
export interface ResolvedSecret {
  readonly value: string
  readonly source: 'env' | 'generated'
}

/**
 * The secret from `TESSERA_SECRET`, or 32 random bytes generated for this process: sessions then
 * end when the server restarts, which is right for a playground and wrong for an app.
 *
 * @example const secret = resolveSecret(process.env) // { value, source: 'generated' }
 */
export function resolveSecret(env: NodeJS.ProcessEnv): ResolvedSecret {
  const given = env.TESSERA_SECRET
  if (given === undefined || given === '') {
    return { value: randomBytes(32).toString('base64url'), source: 'generated' }
  }
  if (Buffer.byteLength(given, 'utf8') < MIN_SECRET_BYTES) {
    throw new Error(`TESSERA_SECRET must be at least ${MIN_SECRET_BYTES} bytes`)
  }
  return { value: given, source: 'env' }
}
