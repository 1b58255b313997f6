import type { RequestSessions, SessionEngine } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { headers } from 'next/headers'
import { NextSessionIO } from './next-session-io'

/**
 * The sessions of a Server Component: read only. A Server Component renders after the response
 * started, so it cannot set cookies; the writing methods are left out of this type, and calling one
 * anyway throws `SessionError('INVALID_OPERATION')`.
 */
export type ReadonlySessions = Pick<RequestSessions, 'get' | 'id'>

const WRITES = ['set', 'clear', 'update', 'take', 'getOrSet', 'regenerate', 'commit'] as const

/** The error every write of {@link ReadonlySessions} throws. */
function readOnlyWrite(method: string): never {
  throw new SessionError(
    'INVALID_OPERATION',
    `sessions.${method}: a Server Component cannot set cookies; change sessions in a Server Action or a Route Handler (writeSessions), or in middleware`,
  )
}

/**
 * The sessions of the request a Server Component renders, read from its Cookie header through
 * `headers()` of next/headers. A tampered or expired token reads as null; renewing or clearing it
 * is left to middleware, Server Actions and Route Handlers, which can write.
 *
 * @example
 * // app/page.tsx
 * export default async function Page() {
 *   const login = await (await readSessions(sessions)).get(Login)
 *   return <p>{login ? `Signed in as ${login.user}` : 'Signed out'}</p>
 * }
 */
export async function readSessions(engine: SessionEngine): Promise<ReadonlySessions> {
  const io = new NextSessionIO(await headers())
  const sessions = engine.open(io)
  const readOnly = {
    get: sessions.get.bind(sessions),
    id: sessions.id.bind(sessions),
  }
  for (const method of WRITES) {
    Object.defineProperty(readOnly, method, { value: () => readOnlyWrite(method), enumerable: false })
  }
  return readOnly
}
