import type { RequestSessions, SessionEngine } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { cookies, headers } from 'next/headers'
import { NextSessionIO } from './next-session-io'
import { type NextCookie, nextCookieOf } from './set-cookie-options'

/** What `cookies()` of next/headers gives: its `set` throws outside a Server Action or Route Handler. */
interface CookieStore {
  set(cookie: NextCookie): unknown
}

/** Hands each Set-Cookie line to `cookies().set`; a store that refuses (a Server Component) is a SessionError. */
function writeCookies(store: CookieStore, lines: readonly string[]): void {
  for (const line of lines) {
    const cookie = nextCookieOf(line)
    try {
      store.set(cookie)
    } catch (error) {
      throw new SessionError(
        'INVALID_OPERATION',
        'writeSessions: Next refused to set a cookie here; call it in a Server Action or a Route Handler, not while a Server Component renders',
        { cause: error instanceof Error ? error.name : undefined },
      )
    }
  }
}

/**
 * Runs `fn` with the request's sessions, in a Server Action or a Route Handler, then writes what it
 * set or cleared through `cookies()` of next/headers, which Next sends with the action's or the
 * handler's response. Make every change of the request inside one call: a later call reads the
 * cookies the request came with. A header session (`transport: 'header'`) cannot travel this way
 * (`UNSUPPORTED`): serve it from a Route Handler wrapped with `withSessions`. Called while a Server
 * Component renders, it throws `SessionError('INVALID_OPERATION')`: cookies cannot be set there.
 *
 * @example
 * // app/actions.ts
 * 'use server'
 * export async function signIn(formData: FormData) {
 *   await writeSessions(sessions, (s) => s.set(Login, { user: String(formData.get('user')) }))
 *   redirect('/')
 * }
 */
export async function writeSessions<TResult>(
  engine: SessionEngine,
  fn: (sessions: RequestSessions) => TResult | Promise<TResult>,
): Promise<TResult> {
  const io = new NextSessionIO(await headers())
  const sessions = engine.open(io)
  const result = await fn(sessions)
  sessions.commit()
  io.finish()
  if (io.otherHeaders.length > 0) {
    throw new SessionError(
      'UNSUPPORTED',
      `writeSessions cannot send the response header "${io.otherHeaders[0]}"; serve header sessions from a Route Handler wrapped with withSessions`,
    )
  }
  if (io.setCookies.length > 0) writeCookies((await cookies()) as unknown as CookieStore, io.setCookies)
  return result
}
