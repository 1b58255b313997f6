import { describe, expect, it } from 'vitest'
import { defineSession, isSessionError, jsonCodec, type SessionError } from '../src'
import { checkValue, expirySeconds, openNone, protectNone, readValue, sessionClaims } from '../src/internal'
import { codecContext, encodeValue, lifetimeEnd, openPayload, ownEnd } from '../src/session-rules'

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

describe('ownEnd near a short limit', () => {
  const now = 1_800_000_000
  // Five minutes idle: the skew allowed is a tenth of it, 30 s, not the minute of longer limits.
  const fiveMinutes = { idle: 300, absolute: null }

  it('allows a tenth of a limit under ten minutes as skew, and no more', () => {
    expect(ownEnd(fiveMinutes, { iat: now, exp: now + 270 }, now)).toBeUndefined()
    expect(ownEnd(fiveMinutes, { iat: now, exp: now + 269 }, now)).toBe(now + 269)
  })
})

describe('lifetimeEnd: the end a lifetime given to one session sets', () => {
  const now = 1_800_000_000
  const refusal = (lifetime: Parameters<typeof lifetimeEnd>[1]) => {
    try {
      lifetimeEnd('login', lifetime, now)
    } catch (error) {
      expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
      expect((error as SessionError).session).toBe('login')
      return (error as Error).message
    }
    throw new Error('not refused')
  }

  it('counts maxAge from now and takes expiresAt as it is', () => {
    expect(lifetimeEnd('login', { maxAge: '30d' }, now)).toBe(now + 30 * 86_400)
    expect(lifetimeEnd('login', { expiresAt: new Date((now + 1) * 1000) }, now)).toBe(now + 1)
    expect(lifetimeEnd('login', {}, now)).toBeUndefined()
  })

  it('refuses both at once, a maxAge of 0 or one that does not parse, and an end not in the future', () => {
    expect(refusal({ maxAge: '1d', expiresAt: new Date((now + 60) * 1000) })).toBe(
      'session "login": give set a maxAge or an expiresAt, not both',
    )
    expect(refusal({ maxAge: 0 })).toBe(
      'session "login": set maxAge must be more than 0 (use clear to end the session)',
    )
    expect(refusal({ maxAge: 'soon' as never })).toContain('set maxAge')
    const past = 'session "login": set expiresAt must be a Date in the future'
    expect(refusal({ expiresAt: new Date(now * 1000) })).toBe(past)
    expect(refusal({ expiresAt: new Date((now - 60) * 1000) })).toBe(past)
    expect(refusal({ expiresAt: new Date(10 ** 15) })).toBe(past)
    expect(refusal({ expiresAt: new Date(Number.NaN) })).toBe(past)
  })
})

describe('codecContext, encodeValue and openPayload', () => {
  it('tells the codec that only a browser-owned payload is untrusted', () => {
    expect(codecContext(defineSession('a', { protection: 'none' }))).toEqual({ untrusted: true })
    expect(codecContext(defineSession('b'))).toEqual({ untrusted: false })
    expect(codecContext(defineSession('c', { protection: 'none', storage: 'server' }))).toEqual({
      untrusted: false,
    })
  })

  it('names the codec and the session when it cannot encode, and keeps only the name of what it threw', async () => {
    const Broken = defineSession('broken', {
      codec: {
        name: 'brittle',
        encode: () => {
          throw new TypeError('cannot encode secret-value')
        },
        decode: () => null,
      },
    })
    const error = await Promise.resolve()
      .then(() => encodeValue(Broken, { a: 1 }))
      .catch((caught: unknown) => caught)
    expect(isSessionError(error, 'ENCODE_FAILED')).toBe(true)
    expect((error as Error).message).toBe('session "broken": the brittle codec cannot encode the value')
    expect((error as SessionError).session).toBe('broken')
    expect(((error as Error).cause as Error).message).toBe('TypeError')
  })

  it('counts the issues of a refused value in words, and names a thrown non-error "error"', async () => {
    const Strict = defineSession('strict', {
      schema: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown) => {
            if (value === 'throw') throw 'a string'
            return { issues: [{ message: 'one' }, { message: 'two' }] }
          },
        },
      },
    })
    const refused = (await checkValue(Strict, { a: 1 }).catch((caught: unknown) => caught)) as Error
    expect(refused.message).toBe('session "strict": the value fails the schema (2 issues)')
    const thrown = (await checkValue(Strict, 'throw').catch((caught: unknown) => caught)) as Error
    expect((thrown.cause as Error).message).toBe('error')
  })

  it('keeps the reason of a token that did not open, whatever the transformers', async () => {
    const opener = { open: () => ({ ok: false as const, reason: 'EXPIRED' as const }) }
    const upper = { read: (text: string) => text.toUpperCase(), write: (text: string) => text }
    expect(await openPayload(opener as never, [upper as never], 'v1.s.x', 0)).toEqual({
      ok: false,
      reason: 'EXPIRED',
    })
  })
})
