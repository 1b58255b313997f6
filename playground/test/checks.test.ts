import { describe, expect, it } from 'vitest'
import type { SessionReport } from '../src/api/session-report'
import { browserNotice, serverCheck, vaultStatus } from '../src/components/checks'
import type { ApiResult } from '../src/lib/api-client'

const NOW = 1_800_000_000
const LIVE = `v1.x.0.${NOW - 60}.${NOW + 600}.bm9uY2U.Ym94`
const EXPIRED = `v1.e.0.${NOW - 60}.${NOW - 5}.cGF5bG9hZA.c2ln`

function report(overrides: Partial<SessionReport>): SessionReport {
  return {
    session: 'vault',
    received: LIVE,
    check: { ok: true, kid: '0', iat: NOW - 60, exp: NOW + 600 },
    value: 'note',
    reason: null,
    id: null,
    ...overrides,
  }
}

function answer(body: ApiResult['body'], cookie?: string | null): ApiResult {
  const cookies = cookie === undefined ? [] : [{ name: 'vault', value: cookie, line: 'vault=…' }]
  return { status: 200, body, trace: { invalid: [], cookies, headers: {} } }
}

describe('what the panels say about a session', () => {
  it('says the page holds an expired token, not one that did not verify', () => {
    expect(browserNotice({ token: EXPIRED, value: null, reason: null }, NOW, 'cart cookie')).toBe(
      'The cart cookie expired: this page shows nothing.',
    )
    expect(browserNotice({ token: EXPIRED, value: null, reason: 'EXPIRED' }, NOW - 10, 'cart cookie')).toBe(
      'The cart cookie expired: this page shows nothing.',
    )
    expect(browserNotice({ token: LIVE, value: null, reason: 'SIGNATURE_INVALID' }, NOW, 'cart cookie')).toBe(
      'The cart cookie did not verify (SIGNATURE_INVALID): this page shows nothing.',
    )
    expect(browserNotice({ token: LIVE, value: null, reason: null }, NOW, 'cart cookie')).toBe(
      'Reading the cart cookie…',
    )
    expect(browserNotice({ token: LIVE, value: { lines: [] }, reason: null }, NOW, 'cart cookie')).toBeNull()
    expect(browserNotice({ token: null, value: null, reason: null }, NOW, 'cart cookie')).toBeNull()
  })

  it('does not say the server opened a session that its answer ended', () => {
    const forgotten = serverCheck(
      'vault',
      { report: report({ value: null }), written: null },
      null,
      'opened the box',
    )
    expect(forgotten.text).toBe('ended the session: its answer cleared the token')
    const refused = report({
      value: null,
      reason: 'SIGNATURE_INVALID',
      check: { ok: false, reason: 'SIGNATURE_INVALID' },
    })
    expect(serverCheck('vault', { report: refused, written: null }, null, 'opened the box').text).toMatch(
      /^refused it: SIGNATURE_INVALID/,
    )
    expect(
      serverCheck('vault', { report: report({}), written: undefined }, LIVE, 'opened the box').text,
    ).toBe('opened the box')
  })

  it('says the server sealed the note, not that it opened it, after Seal it', () => {
    expect(vaultStatus(answer({ report: report({ received: null, check: null }) }, LIVE))).toMatch(
      /^The server sealed the note into a new vault cookie/,
    )
    expect(vaultStatus(answer({ report: report({}) }))).toBe(
      'The server opened the vault: its note is in the inspector.',
    )
    expect(vaultStatus(answer({ report: report({ value: null }) }, null))).toBe(
      'The server forgot the vault: its answer cleared the cookie.',
    )
    expect(vaultStatus(answer({ report: report({ value: null, reason: 'EXPIRED' }) }, null))).toBe(
      'The server refused the vault cookie (EXPIRED) and cleared it.',
    )
    expect(vaultStatus(answer({ report: report({ received: null, check: null, value: null }) }))).toBe(
      'The server holds no readable vault.',
    )
  })
})
