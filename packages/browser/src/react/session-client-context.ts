import type { AnySessionDescriptor } from '@tessera/core'
import { SessionError } from '@tessera/core'
import type { ReactNode } from 'react'
import { createContext, createElement, useContext } from 'react'
import type { SessionClient } from '../client-types'

const SessionClientContext = createContext<SessionClient<any> | null>(null)

/**
 * Props of {@link SessionClientProvider}.
 *
 * @example
 * const props: SessionClientProviderProps = { client, children: <App /> }
 */
export interface SessionClientProviderProps {
  readonly client: SessionClient<any>
  readonly children?: ReactNode
}

/**
 * Makes a session client available to {@link useSession} and {@link useSessionClient} below it.
 *
 * @example
 * const client = createSessionClient({ sessions: [Cart] })
 * createRoot(el).render(<SessionClientProvider client={client}><App /></SessionClientProvider>)
 */
export function SessionClientProvider({ client, children }: SessionClientProviderProps): ReactNode {
  return createElement(SessionClientContext.Provider, { value: client }, children)
}

/**
 * The client given as argument, else the one of the nearest {@link SessionClientProvider}.
 * Throws `SessionError('INVALID_OPERATION')` when there is neither.
 *
 * @example
 * const client = useSessionClient()
 * const onSave = () => client.fetch('/api/cart', { method: 'POST' })
 */
export function useSessionClient<TRegistered extends AnySessionDescriptor = AnySessionDescriptor>(
  client?: SessionClient<TRegistered>,
): SessionClient<TRegistered> {
  const provided = useContext(SessionClientContext)
  const chosen = client ?? provided
  if (!chosen) {
    throw new SessionError(
      'INVALID_OPERATION',
      'no session client: pass one to the hook or render a <SessionClientProvider client={...}> above it',
    )
  }
  return chosen
}
