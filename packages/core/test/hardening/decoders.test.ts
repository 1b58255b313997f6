/**
 * Fuzzing every decoder a request reaches, through the public API: the Cookie header reader, cookie
 * value encodings, the four protections' `open`, the codecs, the engine's cookie and header reading
 * (chunk markers included), the browser-owned `none` path with a schema, and ids given to storages.
 *
 * Every input is random or hostile (see helpers/arbitraries.ts). Each call must complete within
 * {@link HANG_MS} (a bound only a hang breaks), throw nothing but what is documented, leave every
 * built-in prototype as it was, and read a bad input as absent. Figures are printed at the end.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { Protection, RequestSessions } from '../../src'
import {
  cookie,
  createSessionEngine,
  defineSession,
  header,
  isSessionError,
  jsonCodec,
  memoryStorage,
  superjsonCodec,
  webCrypto,
} from '../../src'
import {
  createKeyRing,
  createProtector,
  decodeCookieValue,
  encodeBase64url,
  readCookie,
  SESSION_ID,
} from '../../src/internal'
import { fakeIO } from '../helpers/fake-io'
import {
  badBase64url,
  base64urlOfBytes,
  deepJson,
  hostileJson,
  hostileString,
  hostileSuperjson,
  hugeString,
  hugeStringOf,
  PROTOTYPE_DOCUMENTS,
  SPECIAL_PIECES,
} from './helpers/arbitraries'
import { assertUnpolluted, HUGE_HANG_MS, naiveMerge, Tally } from './helpers/guards'

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {}
/** The long flag multiplies the runs by ten. */
const SCALE = env.TESSERA_HARDENING_LONG === '1' ? 10 : 1
const RUNS = 600 * SCALE
const HUGE_RUNS = 25 * SCALE
/** Largest input given to a codec directly. */
const CODEC_HUGE_MAX = 256 * 1024
const SECRET = 'hardening suite secret, at least 32 bytes long'
const NOW = 1_800_000_000
/** A guard against a run hung as a whole on a busy machine, not a speed assertion. */
const TEST_TIMEOUT = 120_000 * SCALE
const tally = new Tally()

afterAll(() => {
  console.log(`[hardening] decoder fuzzing, ${tally.totalCalls} calls:\n${tally.summary()}`)
})

/** A header value as HTTP allows it to leave a server: visible ASCII and spaces, nothing that ends a line. */
const HEADER_SAFE = /^[\x21-\x7e][\x20-\x7e]*$/

const PROTECTIONS: readonly Protection[] = ['none', 'signed', 'ed25519', 'sealed']
const LETTERS = ['n', 's', 'e', 'x', 'S', 'v', ''] as const

/** Token-shaped input: the v1 layout with each part valid-looking or hostile. */
const tokenLike: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('v1', 'v1', 'v2', 'V1', ''),
    fc.constantFrom(...LETTERS),
    fc.array(
      fc.oneof(
        fc.constantFrom(
          '0',
          'k1',
          '1800000000',
          '1799999999',
          '0000',
          '-1',
          '1e3',
          '999999999999',
          '9999999999999',
        ),
        base64urlOfBytes,
        badBase64url,
        hostileString,
        hostileSuperjson.map((doc) => encodeBase64url(new TextEncoder().encode(doc))),
      ),
      { minLength: 0, maxLength: 7 },
    ),
  )
  .map(([version, letter, parts]) => [version, letter, ...parts].join('.'))

/** A `none` token that opens, carrying a hostile document as its payload: what a browser can send. */
const noneToken = (payload: string, exp = 0) =>
  `v1.n.${NOW - 10}.${exp}.${encodeBase64url(new TextEncoder().encode(payload))}`

/** Tokens of exactly the right shape for each protection, with random bytes: these reach the crypto check. */
const b64 = (bytes: Uint8Array) => encodeBase64url(bytes)
const wellShaped: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('k1', '0'),
    fc.uint8Array({ maxLength: 120 }),
    fc.uint8Array({ minLength: 64, maxLength: 64 }),
    fc.uint8Array({ minLength: 40, maxLength: 200 }),
    fc.constantFrom('s', 'e', 'x'),
  )
  .map(([kid, body, tag, box, letter]) => {
    if (letter === 'x') return `v1.x.${kid}.${b64(box)}`
    const claims = `${NOW - 10}.${NOW + 60}`
    return `v1.${letter}.${kid}.${claims}.${b64(body)}.${b64(letter === 's' ? tag.subarray(0, 32) : tag)}`
  })

const anyInput = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 4, arbitrary: tokenLike },
  { weight: 3, arbitrary: wellShaped },
  { weight: 1, arbitrary: badBase64url },
  { weight: 2, arbitrary: hostileSuperjson.map((doc) => noneToken(doc)) },
)

describe('readCookie and cookie value decoding (property)', () => {
  const names = fc.oneof(fc.constantFrom('cart', 'cart.1', 'a', '__Host-id', 'x-auth'), hostileString)

  it(`readCookie: ${RUNS} hostile headers and names, ${HUGE_RUNS} of up to 1 MB; never throws, finds only what is there`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString,
          fc.array(hostileString, { maxLength: 8 }).map((a) => a.join('; ')),
        ),
        names,
        async (cookieHeader, name) => {
          const value = await tally.time(
            'readCookie',
            () => readCookie(cookieHeader, name),
            (v) => (v === undefined ? 'absent' : 'found'),
          )
          if (value !== undefined) {
            // What it returns is a piece of the header, after "name=" and before the next ";".
            expect(cookieHeader).toContain(`${name}=`)
            expect(value.includes(';')).toBe(false)
          }
          assertUnpolluted()
        },
      ),
      { numRuns: RUNS },
    )
    await fc.assert(
      fc.asyncProperty(hugeString, names, async (cookieHeader, name) => {
        await tally.time(
          'readCookie (huge)',
          () => readCookie(cookieHeader, name),
          (v) => (v === undefined ? 'absent' : 'found'),
          HUGE_HANG_MS,
        )
      }),
      { numRuns: HUGE_RUNS },
    )
    // The worst cases for a scanner: the name repeated a million times, never followed by "=".
    for (const worst of [
      'a'.repeat(1 << 20),
      `${' '.repeat(1 << 20)}a`,
      'a;'.repeat(1 << 19),
      `${'cart '.repeat(200_000)}cart=1`,
    ]) {
      await tally.time(
        'readCookie (huge)',
        () => readCookie(worst, worst.endsWith('=1') ? 'cart' : 'a'),
        (v) => (v === undefined ? 'absent' : 'found'),
        HUGE_HANG_MS,
      )
    }
    tally.expectCalls('readCookie', RUNS)
    tally.expectCalls('readCookie (huge)', HUGE_RUNS + 4)
  })

  it(`decodeCookieValue: ${RUNS} hostile values in each encoding; a string or null, never a throw`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileString, badBase64url, base64urlOfBytes),
        fc.constantFrom('raw', 'uri', 'base64url'),
        async (value, encoding) => {
          const decoded = await tally.time(
            `decodeCookieValue ${encoding}`,
            () => decodeCookieValue(value, encoding),
            (v) => (v === null ? 'null' : 'text'),
          )
          expect(decoded === null || typeof decoded === 'string').toBe(true)
        },
      ),
      { numRuns: RUNS },
    )
  })
})

describe('protector.open for every protection (property)', () => {
  const ring = createKeyRing({
    keys: [
      { id: 'k1', secret: SECRET },
      { id: '0', secret: `${SECRET}-old` },
    ],
  })
  const protectors = Object.fromEntries(
    PROTECTIONS.map((protection) => [
      protection,
      createProtector({ protection, name: 'cart', crypto: webCrypto, ring }),
    ]),
  )

  for (const protection of PROTECTIONS) {
    it(`${protection}: ${RUNS} random and ${HUGE_RUNS} huge tokens; refused (never thrown), except well-formed none tokens`, {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const protector = protectors[protection]!
      // Not vacuous: a token the protector wrote opens.
      const good = await protector.protect('{"json":1}', { iat: NOW - 10, exp: NOW + 60 })
      expect((await protector.open(good, NOW)).ok).toBe(true)
      const check = async (token: string) => {
        const huge = token.length > 65_536
        const label = `open ${protection}${huge ? ' (huge)' : ''}`
        const result = await tally.time(
          label,
          () => protector.open(token, NOW),
          (r) => (r.ok ? 'opened' : r.reason),
          huge ? HUGE_HANG_MS : undefined,
        )
        if (result.ok) {
          // Only `none` has nothing to forge, and only a token of its exact layout opens.
          expect(protection).toBe('none')
          expect(token).toMatch(/^v1\.n\.(0|[1-9][0-9]{0,11})\.(0|[1-9][0-9]{0,11})\.[A-Za-z0-9_-]*$/)
          expect(typeof result.payload).toBe('string')
        }
        assertUnpolluted()
      }
      await fc.assert(fc.asyncProperty(anyInput, check), { numRuns: RUNS })
      await fc.assert(fc.asyncProperty(hugeString, check), { numRuns: HUGE_RUNS })
      // The good token with every special piece spliced in never opens (for none, a body that no longer decodes).
      for (const piece of SPECIAL_PIECES) {
        for (const at of [0, 3, good.length >> 1, good.length]) {
          const spliced = good.slice(0, at) + piece + good.slice(at)
          if (protection !== 'none') expect((await protector.open(spliced, NOW)).ok).toBe(false)
          else await check(spliced)
        }
      }
    })
  }
})

describe('codecs (property)', () => {
  const documents = fc.oneof(
    { weight: 4, arbitrary: hostileSuperjson },
    { weight: 2, arbitrary: hostileJson },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_DOCUMENTS) },
  )

  /** Decodes; a throw is the codec's documented way to refuse (the engine turns it into an absent session). */
  const decode = (codec: typeof superjsonCodec, text: string, name: string) => {
    const huge = text.length > 65_536 || /^(?:\{"json":)?[[{]{64}/.test(text)
    return tally.time(
      huge ? `${name} (huge or deep)` : name,
      async () => {
        try {
          return { ok: true as const, value: await codec.decode(text) }
        } catch (error) {
          // The refusal is an Error, never a string, undefined or a non-error object.
          expect(error).toBeInstanceOf(Error)
          return { ok: false as const }
        }
      },
      (r) => (r.ok ? 'value' : 'refused'),
      huge ? HUGE_HANG_MS : undefined,
    )
  }

  it(`superjsonCodec.decode: ${RUNS} hostile documents, ${HUGE_RUNS} up to 100,000 levels deep and ${HUGE_RUNS} of up to 256 KB; no prototype reachable, even by a careless merge`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const check = async (text: string) => {
      const result = await decode(superjsonCodec, text, 'superjsonCodec.decode')
      assertUnpolluted()
      if (result.ok) {
        naiveMerge({}, result.value)
        assertUnpolluted()
      }
    }
    for (const text of PROTOTYPE_DOCUMENTS) await check(text)
    await fc.assert(fc.asyncProperty(documents, check), { numRuns: RUNS })
    await fc.assert(fc.asyncProperty(deepJson, check), { numRuns: HUGE_RUNS })
    // Codecs see at most a token's payload (64 KB, refused before any work past that): 256 KB is four
    // times what a request can bring. V8's JSON.parse takes ~3 µs per level of nesting, so a 1 MB
    // document of brackets takes seconds on this machine whatever the codec does.
    await fc.assert(fc.asyncProperty(hugeStringOf(CODEC_HUGE_MAX), check), { numRuns: HUGE_RUNS })
  })

  it(`jsonCodec.decode: ${RUNS} hostile documents, ${HUGE_RUNS} deep; decoding itself never reaches a prototype`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const check = async (text: string) => {
      await decode(jsonCodec, text, 'jsonCodec.decode')
      assertUnpolluted()
    }
    for (const text of PROTOTYPE_DOCUMENTS) await check(text)
    await fc.assert(fc.asyncProperty(documents, check), { numRuns: RUNS })
    await fc.assert(fc.asyncProperty(deepJson, check), { numRuns: HUGE_RUNS })
  })
})

describe('the engine reading a request (property)', () => {
  const prefsSchema = z.object({ theme: z.enum(['dark', 'light']), size: z.number().int().min(8).max(64) })
  const Prefs = defineSession('prefs', { schema: prefsSchema, visibility: 'client', protection: 'none' })
  const PrefsJson = defineSession('prefs-json', {
    schema: prefsSchema,
    visibility: 'client',
    protection: 'none',
    codec: jsonCodec,
  })
  const Cart = defineSession<{ items: string[] }>()('cart', { protection: 'signed' })
  const Vault = defineSession<{ secret: string }>()('vault')
  const Badge = defineSession<{ name: string }>()('badge', { visibility: 'client' })
  const Login = defineSession<{ user: string }>()('login', { storage: 'server' })
  const Auth = defineSession<{ user: string }>()('x-auth', { transport: 'header', protection: 'sealed' })
  const Sid = defineSession<{ user: string }>()('x-sid', { transport: 'header', storage: 'server' })
  const storage = memoryStorage()
  const engine = createSessionEngine({
    secret: SECRET,
    now: () => NOW * 1000,
    sessions: [
      cookie(Prefs),
      cookie(PrefsJson, { encoding: 'uri' }),
      cookie(Cart, { chunking: { maxChunks: 5 } }),
      cookie(Vault, { encoding: 'base64url' }),
      cookie(Badge, { encoding: 'uri' }),
      cookie(Login, { storage }),
      header(Auth),
      header(Sid, { storage }),
    ],
  })
  const BROWSER_OWNED = new Set(['prefs', 'prefs-json'])
  const all = [Prefs, PrefsJson, Cart, Vault, Badge, Login, Auth, Sid] as const

  const cookieName = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        'prefs',
        'prefs-json',
        'cart',
        'cart.1',
        'cart.2',
        'cart.4',
        'cart.5',
        'vault',
        'badge',
        'login',
      ),
    },
    { weight: 1, arbitrary: hostileString },
  )
  const cookieValue = fc.oneof(
    { weight: 4, arbitrary: anyInput },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('0', '1', '2', '3', '5', '6', '9', '10', '99', '100', '02', '-1'), anyInput)
        .map(([n, v]) => `${n}~${v}`),
    },
    { weight: 2, arbitrary: hostileSuperjson.map((doc) => noneToken(doc)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        noneToken('{"json":{"theme":"dark","size":12}}'),
        noneToken('{"theme":"dark","size":12}'),
      ),
    },
  )
  const cookieHeader = fc
    .tuple(
      fc.array(fc.tuple(cookieName, cookieValue), { maxLength: 8 }),
      fc.constantFrom('; ', ';', ', ', ' ; '),
    )
    .map(([pairs, separator]) => pairs.map(([name, value]) => `${name}=${value}`).join(separator))

  /** Reads every session of one request; checks what came back and what would be written. */
  async function readAll(
    cookieText: string | undefined,
    headers: Record<string, string>,
    label: string,
    bound?: number,
  ) {
    const io = fakeIO({ cookie: cookieText, headers })
    const sessions: RequestSessions = engine.open(io.io)
    for (const descriptor of all) {
      const value = await tally.time(
        label,
        () => sessions.get(descriptor),
        (v) => (v === null ? 'absent' : `value of ${descriptor.name}`),
        bound,
      )
      if (value !== null) {
        // Random input is never a server-written session: only the browser-owned ones can hold a value,
        // and only one their schema accepts.
        expect(BROWSER_OWNED.has(descriptor.name)).toBe(true)
        expect(prefsSchema.safeParse(value).success).toBe(true)
        naiveMerge({}, value)
      }
      assertUnpolluted()
    }
    sessions.commit()
    // What the engine writes back (clearing bad cookies) is safe to put on the wire.
    for (const [name, line] of io.appended) {
      expect(line).toMatch(HEADER_SAFE)
      expect(name).toMatch(/^[a-z-]+$/)
    }
    for (const [, line] of io.headers) expect(line).toMatch(HEADER_SAFE)
  }

  it(`${RUNS} hostile Cookie headers (chunk markers included) and header-session values; every session absent but valid browser-owned ones`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(cookieHeader, anyInput, anyInput, async (cookieText, auth, sid) => {
        await readAll(cookieText, { 'x-auth': auth, 'x-sid': sid }, 'engine get')
      }),
      { numRuns: RUNS },
    )
    await fc.assert(
      fc.asyncProperty(hugeString, async (text) => {
        await readAll(
          `cart=${text}; cart.1=${text}; prefs=${text}`,
          { 'x-auth': text, 'x-sid': text },
          'engine get (huge)',
          HUGE_HANG_MS,
        )
      }),
      { numRuns: HUGE_RUNS },
    )
    // The well-formed browser-owned values do read: the absences above are not the engine reading nothing.
    const io = fakeIO({
      cookie: `prefs=${noneToken('{"json":{"theme":"dark","size":12}}')}; prefs-json=${noneToken('{"theme":"light","size":9}')}`,
    })
    const sessions = engine.open(io.io)
    expect(await sessions.get(Prefs)).toEqual({ theme: 'dark', size: 12 })
    expect(await sessions.get(PrefsJson)).toEqual({ theme: 'light', size: 9 })
  })

  it(`the browser-owned none path: ${RUNS} hostile payloads through both codecs and the schema; a value only when the schema accepts it`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    const payload = fc.oneof(
      hostileSuperjson,
      hostileJson,
      fc.constantFrom(...PROTOTYPE_DOCUMENTS),
      fc
        .record({
          theme: fc.constantFrom('dark', 'light', '__proto__'),
          size: fc.integer({ min: 0, max: 80 }),
        })
        .map((v) => `{"json":${JSON.stringify(v)}}`),
      fc
        .record({
          theme: fc.constantFrom('dark', 'light'),
          size: fc.integer({ min: 0, max: 80 }),
          extra: fc.constantFrom('"__proto__"', '{"__proto__":{"polluted":1}}'),
        })
        .map(({ theme, size, extra }) => `{"theme":"${theme}","size":${size},"__proto__":${extra}}`),
    )
    let values = 0
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom(0, NOW - 1, NOW + 60), async (text, exp) => {
        const token = noneToken(text, exp)
        const io = fakeIO({ cookie: `prefs=${token}; prefs-json=${encodeURIComponent(token)}` })
        const sessions = engine.open(io.io)
        for (const descriptor of [Prefs, PrefsJson]) {
          const value = await tally.time(
            'engine get (none + schema)',
            () => sessions.get(descriptor),
            (v) => (v === null ? 'absent' : 'value'),
          )
          if (value !== null) {
            values++
            expect(exp).not.toBe(NOW - 1) // an expired none token never reads
            expect(Object.keys(value).sort()).toEqual(['size', 'theme'])
            expect(prefsSchema.safeParse(value).success).toBe(true)
            naiveMerge({}, value)
          }
          assertUnpolluted()
        }
      }),
      { numRuns: RUNS },
    )
    expect(values).toBeGreaterThan(0) // some well-formed values went through, so the refusals mean something
  })

  it(`engine.invalidate: ${RUNS} hostile ids; a typed INVALID_VALUE unless the id is a session id`, {
    timeout: TEST_TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString,
          fc.constantFrom(
            '../../etc/passwd',
            '..',
            '.',
            '',
            '__proto__',
            'constructor',
            'a'.repeat(129),
            'a'.repeat(128),
            '12345678',
          ),
        ),
        async (id) => {
          const outcome = await tally.time(
            'engine.invalidate',
            async () => {
              try {
                await engine.invalidate(Login, id)
                return 'ended'
              } catch (error) {
                expect(isSessionError(error, 'INVALID_VALUE')).toBe(true)
                expect((error as Error).message).toBe('session "login": not a session id')
                return 'refused'
              }
            },
            (o) => o,
          )
          expect(outcome).toBe(SESSION_ID.test(id) ? 'ended' : 'refused')
          assertUnpolluted()
        },
      ),
      { numRuns: RUNS },
    )
  })
})
