import { describe, expect, it } from 'vitest'
import { cookieAttributes, jsonCodec } from '../../src'

describe('jsonCodec refuses prototype-poisoning documents', () => {
  it.each([
    '{"__proto__":{"polluted":true}}',
    '{"a":{"\\u005f_proto__":{"polluted":true}}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
  ])('%s', (text) => {
    expect(() => jsonCodec.decode(text)).toThrow(TypeError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
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
