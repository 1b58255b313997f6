import { describe, expect, it } from 'vitest'
import { incomingToken, tamperedHeaders } from '../src/api/request-flags'
import { cookieWrites, decodeTrace, encodeTrace } from '../src/api/trace'
import { parseToken } from '../src/lib/token-parts'
import { describeValue } from '../src/shared/describe-value'
import { Login, Vault } from '../src/shared/sessions'
import { flipCharacter } from '../src/shared/tamper'

const SIGNED = 'v1.s.0.1700000000.1700604800.aWQtMTIzNDU2Nzg.abcdefghijklmnop'

describe('the helpers of the inspectors and the demo buttons', () => {
  it('flips one character in the middle of the last part, keeping the token well-formed', () => {
    const flipped = flipCharacter(SIGNED)
    expect(flipped).not.toBe(SIGNED)
    expect(flipped).toHaveLength(SIGNED.length)
    expect(flipped.split('.').slice(0, 6)).toEqual(SIGNED.split('.').slice(0, 6))
    expect([...flipped].filter((char, i) => char !== SIGNED[i])).toHaveLength(1)
    expect(flipCharacter('v1.n.1.2.AAAA')).toBe('v1.n.1.2.AABA')
  })

  it('takes a token apart for display', () => {
    const parts = parseToken(SIGNED)
    expect(parts).toMatchObject({ protection: 'signed', kid: '0', iat: 1700000000, exp: 1700604800 })
    expect(parts.payload).toBe('id-12345678')
    expect(parts.tailBytes).toBe(12)
    expect(parts.parts.map((part) => part.kind)).toEqual([
      'version',
      'protection',
      'kid',
      'iat',
      'exp',
      'body',
      'tag',
    ])
    expect(parts.parts[5]!.at).toBe(SIGNED.indexOf('aWQ'))
    const sealed = parseToken('v1.x.k1.AAAA')
    expect(sealed).toMatchObject({ protection: 'sealed', kid: 'k1', iat: null, payload: null, tailBytes: 3 })
    expect(parseToken('not a token').protection).toBe('unknown')
  })

  it('describes Maps and Dates as what they are', () => {
    const text = describeValue({ lines: new Map([['KIT', { qty: 2 }]]), at: new Date(0) })
    expect(text).toContain('Map(1) {')
    expect(text).toContain('"KIT" => {')
    expect(text).toContain('at: Date(1970-01-01T00:00:00.000Z)')
  })

  it('reads cookie writes from Set-Cookie lines, and round-trips a trace through a header value', () => {
    const writes = cookieWrites([
      'cart=v1.e.x; Max-Age=60; Path=/',
      'vault=; Max-Age=0; Expires=Thu, 01 Jan 1970',
    ])
    expect(writes.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'cart', value: 'v1.e.x' },
      { name: 'vault', value: null },
    ])
    const trace = {
      invalid: [{ session: 'cart', reason: 'EXPIRED' as const }],
      cookies: writes,
      headers: { note: 'é' },
    }
    const header = encodeTrace(trace)
    expect(header).toMatch(/^[\x20-\x7e]+$/)
    expect(decodeTrace(header)).toEqual(trace)
    expect(decodeTrace('{nope')).toBeNull()
    expect(decodeTrace(null)).toBeNull()
  })

  it('tampers with the named session only, cookie or header', () => {
    const headers: Record<string, string> = {
      cookie: `cart=v1.e.keep; vault=v1.x.0.AAAAAAAA`,
      login: SIGNED,
      'x-playground-tamper': 'vault',
    }
    const read = (name: string) => headers[name]
    expect(incomingToken(read, Vault)).toBe('v1.x.0.AAAABAAA')
    expect(incomingToken(read, Login)).toBe(SIGNED)
    const tampered = tamperedHeaders(read, Vault)
    expect(tampered('cookie')).toBe('cart=v1.e.keep; vault=v1.x.0.AAAABAAA')
    expect(tampered('login')).toBe(SIGNED)
    expect(tamperedHeaders(read, Login)('login')).toBe(flipCharacter(SIGNED))
    expect(incomingToken(() => undefined, Vault)).toBeNull()
  })
})
