export type { RouteSessionsOptions, WithSessionHeaders } from './with-sessions'
export { sessionsOf, withSessions } from './with-sessions'
