import type { SessionReport } from '../api/session-report'
import type { BrowserRead } from '../lib/browser-reads'
import { parseToken } from '../lib/token-parts'
import type { Check } from './inspector'
import { countdown } from './inspector'

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
  const exp = parseToken(read.token).exp
  if (exp !== null && exp !== 0 && exp <= now) {
    return {
      label: 'this page',
      tone: 'bad',
      text: `${countdown(exp, now)}: client.get() returns null`,
      testId,
    }
  }
  return { label: 'this page', tone: 'none', text: 'reading…', testId }
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
  if (report.check?.ok === false)
    return { label, tone: 'bad', text: `refused it: ${report.check.reason}`, testId }
  return { label, tone: 'ok', text: accepted, testId }
}
