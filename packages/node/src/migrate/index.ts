// @tessera/node/migrate: take over the sessions an app issued before tessera (express-session,
// iron-session) during a cut-over period, without signing anyone out.

export type { ExpressSessionCookieOptions } from './express-session-cookie'
export { expressSessionCookie } from './express-session-cookie'
export type { IronSessionCookieOptions } from './iron-session-cookie'
export { ironSessionCookie } from './iron-session-cookie'
export type { LegacyCookieOptions, LegacyMapping, LegacySessionSource } from './legacy-source'
export type { MigrateSessionsOptions } from './migrate-sessions'
export { migrateSessions } from './migrate-sessions'
