export type { MockSessions, MockSessionsOptions, SessionResolver } from './mock-sessions'
export { createMockSessions } from './mock-sessions'
