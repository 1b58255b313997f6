/**
 * Header and cookie injection: whatever an app passes as a session name, a cookie attribute, an id
 * from a custom `identity` or an `owner`, nothing reaches the wire or a storage that could split a
 * header, add a cookie attribute or escape a key; a bad one is a typed error at creation or at `set`.
 * And whatever value goes through whatever codec, transformer, protection and encoding, the token
 * that leaves is cookie-octet safe and header safe.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Protection, SessionStorage, SessionTransformer } from '../../src'
import {
  cookie,
  createSessionEngine,
  defineSession,
  header,
  isSessionError,
  jsonCodec,
  memoryStorage,
  superjsonCodec,
} from '../../src'
import { SESSION_ID } from '../../src/internal'
import { cookiePair, fakeIO } from '../helpers/fake-io'
import { hostileString, SPECIAL_PIECES } from './helpers/arbitraries'
import { assertUnpolluted } from './helpers/guards'

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {}
const SCALE = env.TESSERA_HARDENING_LONG === '1' ? 10 : 1
const RUNS = 400 * SCALE
const TEST_TIMEOUT = 120_000 * SCALE
const SECRET = 'hardening suite secret, at least 32 bytes long'

/** RFC 6265 cookie-octets: what a cookie value may hold. */
const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/
/** A header value that cannot end a line or the header: visible ASCII and spaces. */
const HEADER_SAFE = /^[\x21-\x7e][\x20-\x7e]*$/
/** No control character: nothing that ends a header line or the header block. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const NO_CONTROL = /^[^\u0000-\u001f\u007f]+$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/
/** A lone surrogate: UTF-8 turns each into U+FFFD, so two owners would collide in a storage. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
/** RFC 7230 token, as cookie and header names must be. */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/

const figures: Record<string, number> = {}
const count = (key: string) => {
  figures[key] = (figures[key] ?? 0) + 1
}
afterAll(() => {
  console.log(`[hardening] injection attempts:\n${JSON.stringify(figures, null, 1)}`)
})

/** Strings that try to split a header or add an attribute, plus random hostile text. */
const injection = fc.oneof(
  fc.constantFrom(
    'a;b',
    'a,b',
    'a\r\nSet-Cookie: admin=1',
    'a\nb',
    'a\rb',
    'x; Domain=evil.test',
    'x; Max-Age=999999999',
    '/; HttpOnly=false',
    'a\u0000b',
    'a\u007fb',
  ),
  hostileString,
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...SPECIAL_PIECES), fc.string({ maxLength: 6 }))
    .map((p) => p.join('')),
)

describe('names, attributes, ids and owners are checked before they reach the wire or a storage', () => {
  it(`session names: ${RUNS} hostile names; each is INVALID_NAME or a valid cookie and header name`, {
    timeout: TEST_TIMEOUT,
  }, () => {
    fc.assert(
      fc.property(injection, (name) => {
        try {
          const descriptor = defineSession(name)
          expect(descriptor.name).toMatch(NAME)
          count('names accepted (all valid tokens)')
        } catch (error) {
          expect(isSessionError(error, 'INVALID_NAME')).toBe(true)
          count('names refused with INVALID_NAME')
        }
      }),
      { numRuns: RUNS },
    )
    for (const name of ['a;b', 'a\r\nx', 'a b', 'a=b', 'a,b', '', 'x'.repeat(129), '"a"', 'a\u0000']) {
      expect(() => defineSession(name)).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }))
    }
  })

  it(`cookie attributes: ${RUNS} hostile domains, paths and extensions; INVALID_OPTION at creation, or Set-Cookie lines with exactly the attributes asked for`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const Cart = defineSession<{ n: number }>()('cart', { protection: 'signed' })
    await fc.assert(
      fc.asyncProperty(
        fc.option(injection),
        fc.option(injection),
        fc.option(fc.tuple(injection, fc.oneof(injection, fc.constant(true as const)))),
        async (domain, path, extension) => {
          const options = {
            domain: domain ?? undefined,
            path: path ?? undefined,
            extensions: extension ? { [extension[0]]: extension[1] } : undefined,
          }
          let engine: ReturnType<typeof createSessionEngine>
          try {
            engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Cart, options)] })
          } catch (error) {
            expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
            count('attribute sets refused with INVALID_OPTION')
            return
          }
          count('attribute sets accepted')
          const io = fakeIO()
          const sessions = engine.open(io.io)
          await sessions.set(Cart, { n: 1 })
          sessions.commit()
          const [line] = io.setCookies()
          // Nothing that ends the line or the header. (Non-ASCII is another matter: see docs/security.md.)
          expect(line).toMatch(NO_CONTROL)
          // Max-Age, Expires, Path, HttpOnly, SameSite, and the optional Domain and extension: no more.
          const expected = 6 + (options.domain === undefined ? 0 : 1) + (extension ? 1 : 0)
          expect(line!.split(';')).toHaveLength(expected)
        },
      ),
      { numRuns: RUNS },
    )
    expect(figures['attribute sets refused with INVALID_OPTION']).toBeGreaterThan(RUNS / 10)
  })

  it(`identity: ${RUNS} hostile ids from a custom identity; INVALID_OPTION at set, and the storage never sees one`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const Login = defineSession<{ user: string }>()('login', { storage: 'server' })
    const seen: string[] = []
    const inner = memoryStorage()
    const storage: SessionStorage = {
      read: (id) => inner.read(id),
      write: (id, data, options) => {
        seen.push(id)
        return inner.write(id, data, options)
      },
      invalidate: (id) => inner.invalidate(id),
    }
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(injection, fc.constantFrom('../../etc/passwd', '__proto__', 'a'.repeat(129), '1234567')),
        async (id) => {
          inner.clear() // a custom identity that repeats an id gets CONFLICT: each run starts empty
          const engine = createSessionEngine({
            secret: SECRET,
            sessions: [cookie(Login, { storage, identity: () => id })],
          })
          const io = fakeIO()
          const sessions = engine.open(io.io)
          try {
            await sessions.set(Login, { user: 'ada' })
            expect(id).toMatch(SESSION_ID)
            count('identity ids accepted (all session ids)')
          } catch (error) {
            expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
            expect((error as Error).message).toBe(
              'session "login": identity must return 8 to 128 characters of A-Z a-z 0-9 _ -',
            )
            expect(SESSION_ID.test(id)).toBe(false)
            count('identity ids refused with INVALID_OPTION')
          }
          sessions.commit()
          for (const line of io.setCookies()) expect(line).toMatch(HEADER_SAFE)
        },
      ),
      { numRuns: RUNS },
    )
    for (const id of seen) expect(id).toMatch(SESSION_ID)
  })

  it(`owners: ${RUNS} hostile owners; INVALID_VALUE at set and at invalidateOwner unless 1 to 512 characters of well-formed text without control characters`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const Login = defineSession<{ owner: unknown }>()('login', { storage: 'server' })
    const owners: unknown[] = []
    const inner = memoryStorage()
    const storage: SessionStorage = {
      read: (id) => inner.read(id),
      write: (id, data, options) => {
        owners.push(options.owner)
        return inner.write(id, data, options)
      },
      invalidate: (id) => inner.invalidate(id),
      invalidateOwner: (owner) => inner.invalidateOwner!(owner),
    }
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Login, { storage, owner: (value) => value.owner as string })],
    })
    const acceptable = (owner: unknown) =>
      typeof owner === 'string' &&
      owner.length >= 1 &&
      owner.length <= 512 &&
      !CONTROL.test(owner) &&
      !LONE_SURROGATE.test(owner)
    const ownerArbitrary = fc.oneof(
      { weight: 4, arbitrary: injection },
      {
        weight: 1,
        arbitrary: fc.constantFrom<unknown>(
          '',
          'x'.repeat(513),
          'x'.repeat(512),
          42,
          {},
          ['a'],
          true,
          'ada@example.test',
          '__proto__',
        ),
      },
    )
    await fc.assert(
      fc.asyncProperty(ownerArbitrary, async (owner) => {
        const sessions = engine.open(fakeIO().io)
        const before = owners.length
        const set = await sessions.set(Login, { owner }).then(
          () => 'stored',
          (error: unknown) => {
            expect(isSessionError(error, 'INVALID_VALUE')).toBe(true)
            return 'refused'
          },
        )
        expect(set).toBe(acceptable(owner) ? 'stored' : 'refused')
        // A refused owner never reached the storage.
        expect(owners.length).toBe(before + (set === 'stored' ? 1 : 0))
        const ended = await engine.invalidateOwner(Login, owner as string).then(
          (n) => n,
          (error: unknown) => {
            expect(isSessionError(error, 'INVALID_VALUE')).toBe(true)
            return 'refused'
          },
        )
        expect(ended).toBe(acceptable(owner) ? 1 : 'refused')
        count(set === 'stored' ? 'owners accepted' : 'owners refused with INVALID_VALUE')
        assertUnpolluted()
      }),
      { numRuns: RUNS },
    )
    for (const owner of owners) expect(acceptable(owner)).toBe(true)
  })
})

describe('every token that leaves is cookie-octet safe and header safe (property)', () => {
  /** Transformers an app might write, two of them careless about what they emit. */
  const TRANSFORMERS: Record<string, SessionTransformer[]> = {
    none: [],
    'appends CR LF and an attribute': [
      {
        write: (t) => `${t}\r\n; Domain=evil.test`,
        read: (t) => t.slice(0, -'\r\n; Domain=evil.test'.length),
      },
    ],
    'emits any Unicode, lone surrogates too': [
      { write: (t) => `\ud800${t}\u0000é🍪`, read: (t) => t.slice(1, -4) },
      { write: (t) => t.split('').reverse().join(''), read: (t) => t.split('').reverse().join('') },
    ],
  }
  const PROTECTIONS: Protection[] = ['none', 'signed', 'ed25519', 'sealed']
  const TRANSPORTS = ['cookie raw', 'cookie uri', 'cookie base64url', 'header'] as const
  const CODECS = { superjson: superjsonCodec, json: jsonCodec }

  const engines = new Map<string, ReturnType<typeof build>>()
  function build(
    protection: Protection,
    transport: (typeof TRANSPORTS)[number],
    transformer: string,
    codecName: keyof typeof CODECS,
  ) {
    const name = transport === 'header' ? 'x-value' : 'value'
    const descriptor = defineSession<unknown>()(name, {
      protection,
      codec: CODECS[codecName],
      transport: transport === 'header' ? 'header' : 'cookie',
    })
    const options = { transformers: TRANSFORMERS[transformer]! }
    const config =
      transport === 'header'
        ? header(descriptor as typeof descriptor & { transport: 'header' }, options)
        : cookie(descriptor as typeof descriptor & { transport: 'cookie' }, {
            ...options,
            encoding: transport.slice(7) as 'raw' | 'uri' | 'base64url',
          })
    return { descriptor, engine: createSessionEngine({ secret: SECRET, sessions: [config] }), transport }
  }

  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(
      injection,
      fc.oneof(
        injection,
        fc.integer(),
        fc.date({ noInvalidDate: true }),
        fc.bigInt(),
        fc.constant(undefined),
      ),
      { maxKeys: 5 },
    ),
    fc.array(injection, { maxLength: 6 }),
    injection,
  )

  it(`${RUNS * 2} values through every codec × transformer × protection × encoding: set succeeds or throws a typed error; what it writes is safe and reads back`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROTECTIONS),
        fc.constantFrom(...TRANSPORTS),
        fc.constantFrom(...Object.keys(TRANSFORMERS)),
        fc.constantFrom('superjson' as const, 'json' as const),
        value,
        async (protection, transport, transformer, codec, input) => {
          const key = `${protection}|${transport}|${transformer}|${codec}`
          let built = engines.get(key)
          if (!built) {
            built = build(protection, transport, transformer, codec)
            engines.set(key, built)
          }
          const { engine, descriptor } = built
          const io = fakeIO()
          const sessions = engine.open(io.io)
          try {
            await sessions.set(descriptor, input)
          } catch (error) {
            // null/undefined values, prototype keys superjson refuses, BigInt in JSON, a cookie over 4096 bytes.
            expect(isSessionError(error)).toBe(true)
            expect(['INVALID_VALUE', 'ENCODE_FAILED', 'TOO_LARGE']).toContain(
              (error as { code: string }).code,
            )
            count(`values refused (${(error as { code: string }).code})`)
            return
          }
          sessions.commit()
          let token: string
          if (transport === 'header') {
            token = io.headers.get('x-value')!
            expect(token).toMatch(HEADER_SAFE)
          } else {
            const [line] = io.setCookies()
            expect(line).toMatch(HEADER_SAFE)
            token = cookiePair(line!).value
            expect(token).toMatch(COOKIE_OCTETS)
            expect(line!.split(';')).toHaveLength(6)
          }
          expect(token.length).toBeGreaterThan(0)
          count('tokens written, all safe')
          // And the token reads back as a value (the transformers undo what they did).
          const back = fakeIO(
            transport === 'header' ? { headers: { 'x-value': token } } : { cookie: `value=${token}` },
          )
          expect(await engine.open(back.io).get(descriptor)).not.toBeNull()
        },
      ),
      { numRuns: RUNS * 2 },
    )
    expect(figures['tokens written, all safe']).toBeGreaterThan(RUNS)
  })
})
