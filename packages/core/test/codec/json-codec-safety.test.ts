import { describe, expect, it } from 'vitest'
import { jsonCodec } from '../../src'
import { cookieAttributes } from '../../src/internal'

describe('jsonCodec refuses prototype-poisoning documents', () => {
  it.each([
    '{"__proto__":{"polluted":true}}',
    '{"a":{"\\u005f_proto__":{"polluted":true}}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
  ])('%s', (text) => {
    expect(() => jsonCodec.decode(text)).toThrow(TypeError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('refuses to encode a value it would refuse to decode (an own __proto__ key)', () => {
    const poisoned = JSON.parse('{"items":[],"__proto__":0}')
    expect(() => jsonCodec.encode(poisoned)).toThrow(TypeError)
    expect(() => jsonCodec.encode({ constructor: { prototype: { polluted: true } } })).toThrow(TypeError)
    expect(jsonCodec.encode({ protocol: 'https', note: 'é' })).toBe('{"protocol":"https","note":"é"}')
  })

  it('still reads ordinary documents, escapes and keys that merely contain "proto"', () => {
    expect(jsonCodec.decode('{"protocol":"https","note":"\\u00e9","constructor":"x"}')).toEqual({
      protocol: 'https',
      note: 'é',
      constructor: 'x',
    })
  })
})

describe('cookie attributes are visible ASCII only', () => {
  it.each(['a\u2028b', 'caf\u00e9.example', 'a\u0000b', 'a;b'])(
    'refuses domain %j with INVALID_OPTION',
    (domain) => {
      expect(() => cookieAttributes('s', { domain })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      )
    },
  )
})
