export type { SessionClientProviderProps } from './session-client-context'
export { SessionClientProvider, useSessionClient } from './session-client-context'
export type { SessionState } from './use-session'
export { useSession } from './use-session'
