import { describe, expect, it } from 'vitest'
import { defineSession, isSessionError, jsonCodec, type SessionError } from '../src'
import { checkValue, expirySeconds, openNone, protectNone, readValue, sessionClaims } from '../src/internal'
import { ownEnd } from '../src/session-rules'

/*
 * The session rules that the engine and the browser client share (src/session-rules.ts): the
 * descriptor's expiry in seconds, the claims a token is written with, and checking and reading a value.
 */

describe('expirySeconds', () => {
  it('counts a descriptor expiry in seconds, defaults applied, 0 and null turning a limit off', () => {
    expect(expirySeconds(defineSession('a'))).toEqual({ idle: 604_800, absolute: null })
    expect(expirySeconds(defineSession('b', { expiry: { idle: '30m', absolute: '1d' } }))).toEqual({
      idle: 1800,
      absolute: 86_400,
    })
    expect(expirySeconds(defineSession('c', { expiry: { idle: 0, absolute: null } }))).toEqual({
      idle: null,
      absolute: null,
    })
  })

  it('refuses a duration that does not parse, naming the session', () => {
    let error: unknown
    try {
      expirySeconds(defineSession('d', { expiry: { absolute: 'soon' as never } }))
    } catch (caught) {
      error = caught
    }
    expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
    expect((error as SessionError).session).toBe('d')
  })
})

describe('sessionClaims', () => {
  const now = 1_800_000_000
  it('starts a new session now and ends it at the nearer of the idle and absolute limits', () => {
    expect(sessionClaims({ idle: 3600, absolute: null }, undefined, now)).toEqual({
      iat: now,
      exp: now + 3600,
    })
    expect(sessionClaims({ idle: 3600, absolute: 600 }, undefined, now)).toEqual({ iat: now, exp: now + 600 })
    expect(sessionClaims({ idle: null, absolute: null }, undefined, now)).toEqual({ iat: now, exp: 0 })
  })

  it('keeps a running session its start, so the absolute limit counts from it', () => {
    const start = now - 500
    expect(sessionClaims({ idle: 3600, absolute: 600 }, start, now)).toEqual({ iat: start, exp: start + 600 })
    expect(sessionClaims({ idle: 60, absolute: 600 }, start, now)).toEqual({ iat: start, exp: now + 60 })
  })
})

describe('checkValue and readValue', () => {
  const Prefs = defineSession('prefs', {
    codec: jsonCodec,
    schema: {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value: unknown) =>
          value === 'boom'
            ? (() => {
                throw new RangeError('cannot handle boom')
              })()
            : typeof value === 'object' && value !== null && 'theme' in value
              ? { value }
              : { issues: [{ message: 'no theme' }] },
      },
    },
  })

  it('refuses null, values the schema refuses and values it throws on, keeping only the thrown name', async () => {
    for (const [value, message] of [
      [null, 'use clear'],
      [{ other: 1 }, 'fails the schema (1 issue)'],
      ['boom', 'the schema threw'],
    ] as const) {
      const error = await checkValue(Prefs, value).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'INVALID_VALUE'), String(value)).toBe(true)
      expect((error as Error).message).toContain(message)
    }
    const thrown = (await checkValue(Prefs, 'boom').catch((caught: unknown) => caught)) as Error
    expect((thrown.cause as Error).message).toBe('RangeError')
    expect(await checkValue(Prefs, { theme: 'dark' })).toEqual({ theme: 'dark' })
  })

  it('reads a decoded null as DECODE_FAILED before the schema runs, and a throwing schema as SCHEMA_FAILED', async () => {
    expect(await readValue(Prefs, 'null')).toEqual({ ok: false, reason: 'DECODE_FAILED' })
    expect(await readValue(Prefs, '{')).toEqual({ ok: false, reason: 'DECODE_FAILED' })
    expect(await readValue(Prefs, '"boom"')).toEqual({ ok: false, reason: 'SCHEMA_FAILED' })
    expect(await readValue(Prefs, '{"other":1}')).toEqual({ ok: false, reason: 'SCHEMA_FAILED' })
    expect(await readValue(Prefs, '{"theme":"dark"}')).toEqual({ ok: true, value: { theme: 'dark' } })
  })
})

describe('none tokens', () => {
  it('writes none tokens that openNone reads back', () => {
    const token = protectNone('{"theme":"dark"}', { iat: 1_800_000_000, exp: 1_800_003_600 })
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

describe('ownEnd: a client-stored token with a lifetime of its own, told from its claims', () => {
  const now = 1_800_000_000
  const hourIdle = { idle: 3600, absolute: null }

  it('reads a token of the descriptor, renewed or skewed by under a minute, as the descriptor’s', () => {
    expect(ownEnd(hourIdle, { iat: now - 7200, exp: now + 1800 }, now)).toBeUndefined()
    expect(ownEnd(hourIdle, { iat: now, exp: now + 3600 + 60 }, now)).toBeUndefined()
    expect(ownEnd({ idle: null, absolute: null }, { iat: now, exp: 0 }, now)).toBeUndefined()
  })

  it('reads a longer or a shorter lifetime as its own', () => {
    expect(ownEnd(hourIdle, { iat: now, exp: now + 86_400 }, now)).toBe(now + 86_400)
    expect(ownEnd(hourIdle, { iat: now, exp: now + 600 }, now)).toBe(now + 600)
    expect(ownEnd({ idle: null, absolute: null }, { iat: now, exp: now + 60 }, now)).toBe(now + 60)
  })
})
