import { describe, expect, it } from 'vitest'
import { jsonCodec, superjsonCodec } from '../../src'

/*
 * The edges of the two built-in codecs: their names, what they refuse and with which message, and the
 * values whose shape decides which path the default codec takes.
 */

const UNTRUSTED = { untrusted: true }

describe('jsonCodec', () => {
  it('is named json, and refuses a value with no JSON form', () => {
    expect(jsonCodec.name).toBe('json')
    expect(() => jsonCodec.encode(() => 1)).toThrow(new TypeError('the value has no JSON form'))
    expect(() => jsonCodec.encode(undefined)).toThrow(new TypeError('the value has no JSON form'))
  })

  it('refuses a prototype key, saying so, and keeps a "constructor" that holds no prototype', () => {
    expect(() => jsonCodec.decode('{"__proto__":{"admin":true}}')).toThrow(
      new TypeError('JSON text with a prototype key'),
    )
    expect(() => jsonCodec.decode('{"constructor":{"prototype":{"admin":true}}}')).toThrow(
      'JSON text with a prototype key',
    )
    // "proto" in the text sends it through the checking reviver: these are not prototype keys.
    expect(jsonCodec.decode('{"constructor":null,"proto":1}')).toEqual({ constructor: null, proto: 1 })
    expect(jsonCodec.decode('{"constructor":"x","proto":{"prototype":2}}')).toEqual({
      constructor: 'x',
      proto: { prototype: 2 },
    })
  })
})

describe('superjsonCodec', () => {
  it('is named superjson, and refuses text that is not a superjson payload, saying so', () => {
    expect(superjsonCodec.name).toBe('superjson')
    for (const text of ['1', '"json"', '[{"json":1}]', '{"value":1}', 'null']) {
      expect(() => superjsonCodec.decode(text)).toThrow(new TypeError('not a superjson payload'))
    }
  })

  it('writes a cyclic array (trusted) through superjson, which keeps the cycle', async () => {
    const ring: unknown[] = [1]
    ring.push(ring)
    const text = await superjsonCodec.encode({ ring })
    const back = (await superjsonCodec.decode(text)) as { ring: unknown[] }
    expect(back.ring[0]).toBe(1)
    expect(back.ring[1]).toBe(back.ring)
  })

  it('untrusted, writes and reads a value whose superjson text has no meta part', async () => {
    class Point {
      x = 1
      y = 2
    }
    const text = await superjsonCodec.encode({ at: new Point() }, UNTRUSTED)
    expect(text).toBe('{"json":{"at":{"x":1,"y":2}}}')
    expect(await superjsonCodec.decode(text, UNTRUSTED)).toEqual({ at: { x: 1, y: 2 } })
  })

  it('untrusted, reads annotations whose leaves are types (a Date, a Map of Dates)', async () => {
    const value = { at: new Date(0), seen: new Map([['a', new Date(1000)]]) }
    const text = await superjsonCodec.encode(value, UNTRUSTED)
    expect(await superjsonCodec.decode(text, UNTRUSTED)).toEqual(value)
  })

  it('untrusted, refuses a meta part that is not an object', async () => {
    for (const meta of ['[]', '5', '"values"', 'true']) {
      const text = `{"json":1,"meta":${meta}}`
      await expect(Promise.resolve().then(() => superjsonCodec.decode(text, UNTRUSTED))).rejects.toThrow(
        'a superjson meta part must be an object',
      )
    }
  })
})
