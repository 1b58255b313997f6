import type { SessionValue } from '@tessera/core'
import { useCallback, useSyncExternalStore } from 'react'
import type { ReadableSession, SessionClient } from '../client-types'
import { useSessionClient } from './session-client-context'

const serverSnapshot = () => null

/**
 * The verified value of a client-visible session, kept current: it re-renders when the session
 * changes through the client, a response, another tab, or when it expires. Null while the first read
 * runs, when the session is absent or invalid, and during server rendering (hydration then fills it).
 *
 * @example
 * function CartBadge() {
 *   const cart = useSession(Cart)
 *   return <span>{cart?.items.length ?? 0}</span>
 * }
 */
export function useSession<TDescriptor extends ReadableSession>(
  descriptor: TDescriptor,
  client?: SessionClient<any>,
): SessionValue<TDescriptor> | null {
  const sessions = useSessionClient(client)
  const subscribe = useCallback(
    (onChange: () => void) => {
      const unsubscribe = sessions.subscribe(descriptor, onChange as never)
      // The first read (or a re-read after a change made while nobody listened) notifies when it lands.
      void sessions.get(descriptor).catch(() => undefined)
      return unsubscribe
    },
    [sessions, descriptor],
  )
  const snapshot = useCallback(() => sessions.peek(descriptor), [sessions, descriptor])
  return useSyncExternalStore(subscribe, snapshot, serverSnapshot) as SessionValue<TDescriptor> | null
}
