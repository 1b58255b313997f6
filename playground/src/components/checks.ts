import type { SessionReport } from '../api/session-report'
import type { ApiResult } from '../lib/api-client'
import type { BrowserRead } from '../lib/browser-reads'
import { parseToken } from '../lib/token-parts'
import type { Check } from './inspector'
import { countdown } from './inspector'

/** True when the expiry inside `token` has passed (a token without one never expires). */
export function tokenExpired(token: string, now: number): boolean {
  const exp = parseToken(token).exp
  return exp !== null && exp !== 0 && exp <= now
}

/**
 * What the page's own read of a session says: verified (`verified` says how), refused and why, or
 * expired (the client returns null once a cached value's expiry passes).
 *
 * @example browserCheck(read, now, 'cart', 'verified with public key "0"')
 */
export function browserCheck(read: BrowserRead, now: number, session: string, verified: string): Check {
  const testId = `${session}-browser-check`
  if (read.token === null) return { label: 'this page', tone: 'none', text: 'holds no token', testId }
  if (read.value !== null) return { label: 'this page', tone: 'ok', text: verified, testId }
  if (read.reason !== null) {
    return {
      label: 'this page',
      tone: 'bad',
      text: `refused it: ${read.reason}; client.get() returned null`,
      testId,
    }
  }
  if (tokenExpired(read.token, now)) {
    return {
      label: 'this page',
      tone: 'bad',
      text: `${countdown(parseToken(read.token).exp!, now)}: client.get() returns null`,
      testId,
    }
  }
  return { label: 'this page', tone: 'none', text: 'reading…', testId }
}

/**
 * Why the page shows nothing for a token it holds: the token expired, the page refused it (and why),
 * or the read has not finished. Null when the page holds no token or read its value.
 *
 * @example browserNotice(read, now, 'cart cookie') // 'The cart cookie expired: this page shows nothing.'
 */
export function browserNotice(read: BrowserRead, now: number, what: string): string | null {
  if (read.token === null || read.value !== null) return null
  if (read.reason === 'EXPIRED' || tokenExpired(read.token, now)) {
    return `The ${what} expired: this page shows nothing.`
  }
  if (read.reason !== null) return `The ${what} did not verify (${read.reason}): this page shows nothing.`
  return `Reading the ${what}…`
}

/** What a panel knows of the server's last word on its session. */
export interface ServerView {
  readonly report: SessionReport | null
  /** The last token a response wrote for the session (null: it cleared it; undefined: none written yet). */
  readonly written: string | null | undefined
}

/**
 * The server's verdict on the token the page holds now, as a check row: the token it wrote, the
 * token it last read (accepted or refused, and why), or a token it has not seen yet.
 *
 * @example serverCheck('cart', view, token, 'verified the signature')
 */
export function serverCheck(
  session: string,
  view: ServerView,
  token: string | null,
  accepted: string,
): Check {
  const testId = `${session}-server-check`
  const { report, written } = view
  const label = 'server'
  if (!report) return { label, tone: 'none', text: 'not asked yet', testId }
  if (token !== null && token === written) {
    const text =
      report.reason === null
        ? 'wrote this token'
        : `refused the token it received (${report.reason}) and wrote this one`
    return { label, tone: 'ok', text, testId }
  }
  if (token !== null && token !== report.received) {
    return { label, tone: 'none', text: 'has not seen this token yet: ask the server', testId }
  }
  if (report.reason !== null) {
    return {
      label,
      tone: 'bad',
      text: `refused it: ${report.reason}; get() returned null and the response cleared it`,
      testId,
    }
  }
  if (report.received === null) return { label, tone: 'none', text: 'received no token', testId }
  if (token === null && written === null) {
    // It accepted the token it received, then ended the session (Forget it, Empty the cart, Sign out).
    return { label, tone: 'none', text: 'ended the session: its answer cleared the token', testId }
  }
  if (report.check?.ok === false)
    return { label, tone: 'bad', text: `refused it: ${report.check.reason}`, testId }
  return { label, tone: 'ok', text: accepted, testId }
}

/**
 * What the server's last answer did with the vault, for the panel's status line: sealed a new cookie,
 * opened the one it received, refused it, or ended it. Only an answer that read the note says it
 * opened the vault.
 *
 * @example vaultStatus(await call('Seal the note', '/api/vault', { method: 'POST', body }))
 */
export function vaultStatus(result: ApiResult): string {
  const { report, error } = result.body
  if (error !== undefined) return `The server answered ${result.status}: ${error}.`
  const written = result.trace?.cookies.filter((cookie) => cookie.name === 'vault').at(-1)
  const refused = report?.reason ?? null
  if (written !== undefined && written.value !== null) {
    return 'The server sealed the note into a new vault cookie, which this page cannot read: ask it to open it.'
  }
  if (written !== undefined) {
    return refused === null
      ? 'The server forgot the vault: its answer cleared the cookie.'
      : `The server refused the vault cookie (${refused}) and cleared it.`
  }
  if (refused !== null) return `The server refused the vault cookie (${refused}).`
  if (report?.value != null) return 'The server opened the vault: its note is in the inspector.'
  return 'The server holds no readable vault.'
}
