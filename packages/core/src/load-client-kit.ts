/** What {@link loadClientKit} resolves to: core's helpers for writing and carrying sessions. */
export type ClientKit = typeof import('./client-kit')

/**
 * Loads core's helpers for a client that writes its own sessions or carries header sessions
 * (`expirySeconds`, `toSeconds`, `protectNone`, `cookieAttributes`, `encodeCookieValue`,
 * `MAX_COOKIE_BYTES`, `HEADER_CLEARED`, `SessionError`) on first need, so a page that only reads
 * sessions never downloads them. The browser client calls it on its first write or fetch.
 *
 * @example
 * const { expirySeconds, protectNone } = await loadClientKit()
 */
export function loadClientKit(): Promise<ClientKit> {
  return import('./client-kit')
}
