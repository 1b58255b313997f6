import type { SessionValue } from '@tessera/core'
import { isReadable } from '@tessera/core/internal'
import { useCallback, useSyncExternalStore } from 'react'
import type { HeaderSession, ReadableSession, SessionClient } from '../client-types'
import { useSessionClient } from './session-client-context'

const serverSnapshot = () => null
const serverHeld = () => false

/**
 * What {@link useSession} gives for a session: the verified value of a readable session (or null),
 * and for a header session the browser cannot read (a server-stored login, say) whether its token is
 * held: true once signed in.
 *
 * @example
 * type SignedIn = SessionState<typeof Login> // boolean
 */
export type SessionState<TDescriptor> = TDescriptor extends ReadableSession
  ? SessionValue<TDescriptor> | null
  : boolean

/**
 * A session, kept current: it re-renders when the session changes through the client, a response,
 * another tab, or when it expires.
 *
 * - A client-visible session gives its verified value: null while the first read runs, when the
 *   session is absent or invalid, and during server rendering (hydration then fills it).
 * - A header session the browser cannot read gives whether its token is held (`true` once a response
 *   set it, `false` after sign-out or `client.clear`), never its value; false during server rendering.
 *
 * @example
 * function CartBadge() {
 *   const cart = useSession(Cart)
 *   return <span>{cart?.items.length ?? 0}</span>
 * }
 * function AccountLink() {
 *   const signedIn = useSession(Login) // a header session: true while its token is held
 *   return signedIn ? <a href="/account">Account</a> : <a href="/login">Sign in</a>
 * }
 */
export function useSession<TDescriptor extends ReadableSession | HeaderSession>(
  descriptor: TDescriptor,
  client?: SessionClient<any>,
): SessionState<TDescriptor> {
  const sessions = useSessionClient(client)
  // The client's methods take the descriptor the types above already vetted.
  const session = descriptor as never
  const readable = isReadable(descriptor)
  const subscribe = useCallback(
    (onChange: () => void) => {
      const unsubscribe = sessions.subscribe(session, onChange as never)
      // The first read (or a re-read after a change made while nobody listened) notifies when it lands.
      if (readable) void sessions.get(session).catch(() => undefined)
      return unsubscribe
    },
    [sessions, session, readable],
  )
  const snapshot = useCallback(
    () => (readable ? sessions.peek(session) : sessions.has(session)),
    [sessions, session, readable],
  )
  return useSyncExternalStore(subscribe, snapshot, readable ? serverSnapshot : serverHeld) as never
}
