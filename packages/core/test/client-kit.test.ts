import { describe, expect, it } from 'vitest'
import {
  cookieAttributes,
  defineSession,
  encodeCookieValue,
  HEADER_CLEARED,
  isSessionError,
  loadClientKit,
  MAX_COOKIE_BYTES,
  openNone,
  protectNone,
  SessionError,
  toSeconds,
} from '../src'

describe('loadClientKit', () => {
  it("holds the index's own helpers and error class, loaded on demand", async () => {
    const kit = await loadClientKit()
    expect(kit.SessionError).toBe(SessionError)
    expect(kit.cookieAttributes).toBe(cookieAttributes)
    expect(kit.encodeCookieValue).toBe(encodeCookieValue)
    expect(kit.protectNone).toBe(protectNone)
    expect(kit.toSeconds).toBe(toSeconds)
    expect(kit.MAX_COOKIE_BYTES).toBe(MAX_COOKIE_BYTES)
    expect(kit.HEADER_CLEARED).toBe(HEADER_CLEARED)
  })

  it('counts a descriptor expiry in seconds as the engine does, defaults applied', async () => {
    const { expirySeconds } = await loadClientKit()
    expect(expirySeconds(defineSession('a'))).toEqual({ idle: 604_800, absolute: null })
    expect(expirySeconds(defineSession('b', { expiry: { idle: '30m', absolute: '1d' } }))).toEqual({
      idle: 1800,
      absolute: 86_400,
    })
    expect(expirySeconds(defineSession('c', { expiry: { idle: 0, absolute: null } }))).toEqual({
      idle: null,
      absolute: null,
    })
    let error: unknown
    try {
      expirySeconds(defineSession('d', { expiry: { absolute: 'soon' as never } }))
    } catch (caught) {
      error = caught
    }
    expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
    expect((error as SessionError).session).toBe('d')
  })

  it('writes none tokens that openNone reads back', async () => {
    const { protectNone: protect } = await loadClientKit()
    const token = protect('{"theme":"dark"}', { iat: 1_800_000_000, exp: 1_800_003_600 })
    expect(openNone(token, 1_800_000_001)).toEqual({
      ok: true,
      payload: '{"theme":"dark"}',
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      kid: null,
      stale: false,
    })
  })
})
