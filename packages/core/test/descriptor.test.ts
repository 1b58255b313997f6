import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { SessionOptions } from '../src'
import { createSessionEngine, defineSession, isSessionError, jsonCodec, superjsonCodec } from '../src'
import { assertNameFor, assertSessionName, checkDescriptor } from '../src/internal'

const SECRET = 'descriptor tests: a secret of 32 bytes or more'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('defineSession names', () => {
  it('accepts RFC 7230 tokens of 1 to 128 characters', () => {
    for (const name of ['cart', 'a', 'X-Session', '__Host-cart', "!#$%&'*+-.^_`|~09AZaz", 'a'.repeat(128)]) {
      expect(defineSession(name).name).toBe(name)
    }
  })

  it('refuses anything that is not a cookie and header name with INVALID_NAME', () => {
    const bad = [
      '',
      'a'.repeat(129),
      'a b',
      'a;b',
      'a=b',
      'a,b',
      '(a)',
      'a"b',
      'a/b',
      'a:b',
      'a\tb',
      'a\r\nb',
      'panier-é',
      '🛒',
    ]
    for (const name of bad) {
      expect(
        isSessionError(
          thrown(() => defineSession(name)),
          'INVALID_NAME',
        ),
        JSON.stringify(name),
      ).toBe(true)
    }
    for (const name of [undefined, null, 42, {}]) {
      expect(
        isSessionError(
          thrown(() => assertSessionName(name as never)),
          'INVALID_NAME',
        ),
      ).toBe(true)
    }
  })

  it('keeps the message short for a huge name', () => {
    const error = thrown(() => defineSession('x '.repeat(10_000))) as Error
    expect(error.message.length).toBeLessThan(400)
  })

  it('refuses header sessions named after headers the engine or HTTP framing owns, at registration', () => {
    for (const name of [
      'cookie',
      'Set-Cookie',
      'origin',
      'Access-Control-Expose-Headers',
      'host',
      'content-length',
    ]) {
      // Defining it is fine (a page that defines sessions does not carry the rule); registering it is not.
      const descriptor = defineSession(name, { transport: 'header' })
      expect(
        isSessionError(
          thrown(() => checkDescriptor(descriptor)),
          'INVALID_NAME',
        ),
        name,
      ).toBe(true)
      expect(
        isSessionError(
          thrown(() => assertNameFor(name, 'header')),
          'INVALID_NAME',
        ),
        name,
      ).toBe(true)
    }
    // As a cookie name they are harmless.
    expect(checkDescriptor(defineSession('origin')).idle).toBe(7 * 24 * 3600)
  })
})

describe('defineSession defaults', () => {
  it('applies the defaults of each storage and visibility', () => {
    const table: [SessionOptions<any>, object][] = [
      [{}, { transport: 'cookie', storage: 'client', visibility: 'server', protection: 'sealed' }],
      [{ visibility: 'client' }, { storage: 'client', visibility: 'client', protection: 'ed25519' }],
      [
        { visibility: 'client', protection: 'none' },
        { visibility: 'client', protection: 'none' },
      ],
      [{ storage: 'server' }, { storage: 'server', visibility: 'server', protection: 'signed' }],
      [
        { storage: 'server', protection: 'none' },
        { storage: 'server', protection: 'none' },
      ],
      [{ protection: 'signed' }, { storage: 'client', visibility: 'server', protection: 'signed' }],
      [{ transport: 'header' }, { transport: 'header', storage: 'client', protection: 'sealed' }],
      [
        { transport: 'header', storage: 'server' },
        { transport: 'header', protection: 'signed' },
      ],
    ]
    for (const [options, expected] of table) {
      expect(defineSession('s', options), JSON.stringify(options)).toMatchObject(expected)
    }
  })

  it('defaults to a 7-day idle expiry, no absolute limit, the superjson codec and no schema', () => {
    const session = defineSession('s')
    expect(session.expiry).toBeUndefined()
    expect(checkDescriptor(session)).toEqual({ idle: 604_800, absolute: null })
    expect(session.codec).toBe(superjsonCodec)
    expect(session.schema).toBeUndefined()
    expect(session.publicKeys).toBeUndefined()
  })

  it('keeps the expiry as given; registration converts the durations and turns a limit off with null', () => {
    expect(defineSession('s', { expiry: { idle: '1h', absolute: '1d' } }).expiry).toEqual({
      idle: '1h',
      absolute: '1d',
    })
    expect(checkDescriptor(defineSession('s', { expiry: { idle: '1h', absolute: '1d' } }))).toEqual({
      idle: 3600,
      absolute: 86_400,
    })
    expect(checkDescriptor(defineSession('s', { expiry: { idle: null } }))).toEqual({
      idle: null,
      absolute: null,
    })
    expect(checkDescriptor(defineSession('s', { expiry: { idle: 60, absolute: null } }))).toEqual({
      idle: 60,
      absolute: null,
    })
  })

  it('keeps the given codec and schema, and takes the type-parameter form', () => {
    const schema = z.object({ n: z.number() })
    const byType = defineSession<{ n: number }>()('t', { codec: jsonCodec, transport: 'header' })
    expect(byType).toMatchObject({ name: 't', transport: 'header', codec: jsonCodec })
    expect(defineSession('z', { schema }).schema).toBe(schema)
    const valibot = v.object({ n: v.number() })
    expect(defineSession('v', { schema: valibot }).schema).toBe(valibot)
  })

  it('returns a frozen descriptor that later edits of the options cannot change', () => {
    const options = { expiry: { idle: 60 }, publicKeys: { k1: 'A'.repeat(43) } }
    const session = defineSession('s', { ...options, visibility: 'client' })
    expect(Object.isFrozen(session)).toBe(true)
    expect(Object.isFrozen(session.expiry)).toBe(true)
    expect(Object.isFrozen(session.publicKeys)).toBe(true)
    options.publicKeys.k1 = 'changed'
    expect(session.publicKeys).toEqual({ k1: 'A'.repeat(43) })
  })
})

/** Registers one descriptor with an engine: where the rules below are enforced, at server start. */
const register = (options: SessionOptions<any>) =>
  createSessionEngine({ secret: SECRET, sessions: [defineSession('s', options)] })

describe('forbidden combinations, refused when the engine registers the session', () => {
  const forbidden: [string, SessionOptions<any>][] = [
    ['server storage, sealed', { storage: 'server', protection: 'sealed' }],
    ['server storage, ed25519', { storage: 'server', protection: 'ed25519' }],
    ['server storage, client visibility', { storage: 'server', visibility: 'client' }],
    [
      'server storage, client visibility, none',
      { storage: 'server', visibility: 'client', protection: 'none' },
    ],
    ['client visibility, signed', { visibility: 'client', protection: 'signed' }],
    ['client visibility, sealed', { visibility: 'client', protection: 'sealed' }],
    ['unknown transport', { transport: 'body' as never }],
    ['unknown storage', { storage: 'disk' as never }],
    ['unknown visibility', { visibility: 'everyone' as never }],
    ['unknown protection', { protection: 'aes' as never }],
    ['negative idle', { expiry: { idle: -1 } }],
    ['garbage absolute', { expiry: { absolute: 'soon' as never } }],
    ['public keys on a sealed session', { publicKeys: { k1: 'A'.repeat(43) } }],
  ]
  for (const [label, options] of forbidden) {
    it(`refuses ${label} with INVALID_OPTION`, () => {
      const error = thrown(() => register(options))
      expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
      expect((error as { session?: string }).session).toBe('s')
    })
  }

  // The one check of public keys, which the browser client runs too: INVALID_KEY on both sides.
  const badKeys: [string, SessionOptions<any>][] = [
    ['a public key of the wrong length', { visibility: 'client', publicKeys: { k1: 'AAAA' } }],
    [
      'a public key that is not base64url',
      { visibility: 'client', publicKeys: { k1: `${'A'.repeat(42)}=` } },
    ],
    [
      'a public key under a malformed key id',
      { visibility: 'client', publicKeys: { 'k 1': 'A'.repeat(43) } },
    ],
    ['an empty set of public keys', { visibility: 'client', publicKeys: {} }],
  ]
  for (const [label, options] of badKeys) {
    it(`refuses ${label} with INVALID_KEY`, () => {
      const error = thrown(() => register(options))
      expect(isSessionError(error, 'INVALID_KEY')).toBe(true)
      expect((error as { session?: string }).session).toBe('s')
    })
  }

  it('leaves them to registration: defineSession itself only checks the name', () => {
    for (const [label, options] of forbidden) {
      expect(defineSession('s', options).name, label).toBe('s')
    }
  })

  it('registers every allowed combination', () => {
    const allowed: SessionOptions<any>[] = [
      {},
      { visibility: 'client' },
      { visibility: 'client', protection: 'none' },
      { visibility: 'client', publicKeys: { k1: 'A'.repeat(43) } },
      { storage: 'server' },
      { storage: 'server', protection: 'none' },
      { protection: 'signed', transport: 'header', expiry: { idle: '1h', absolute: '2d' } },
    ]
    for (const options of allowed) {
      const descriptor = defineSession('s', options)
      const engine = createSessionEngine({ secret: SECRET, sessions: [descriptor] })
      expect(engine.has(descriptor), JSON.stringify(options)).toBe(true)
    }
  })
})
