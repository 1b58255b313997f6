/**
 * Everything the client does beyond its registry: reading and verifying, writing, fetch, watching for
 * changes. The client loads this module on first use (and starts loading it when created in a page),
 * so an app's first chunk carries no cookie parser, no base64url, no signature check.
 */
export { refreshAll, startWatching, stopWatching } from './change-watcher'
export { sendWithSessions } from './session-fetch'
export { resolve } from './session-reader'
export { clearSession, writeSession } from './session-writer'
