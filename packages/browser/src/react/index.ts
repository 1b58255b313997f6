export type { SessionClientProviderProps } from './session-client-context'
export { SessionClientProvider, useSessionClient } from './session-client-context'
export { useSession } from './use-session'
