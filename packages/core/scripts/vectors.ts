/**
 * Builds the v1 test vectors (test/vectors.json) from fixed keys, nonces and clocks. Every
 * implementation (core's WebCrypto, node's node:crypto, the browser's verifier) must reproduce each
 * token byte for byte and reach each expected outcome.
 *
 *   pnpm --filter @tessera/core vectors          # rewrite test/vectors.json
 *   pnpm --filter @tessera/core vectors --check  # fail when the file differs
 */
import { readFileSync, writeFileSync } from 'node:fs'
import superjson from 'superjson'
import type { Protection } from '../src'
import { superjsonCodec, webCrypto } from '../src'
import { createKeyRing, createProtector, deriveKey, encodeBase64url, withSealingNonce } from '../src/internal'

const file = new URL('../test/vectors.json', import.meta.url)
const keys = [
  { id: 'k2', secret: 'tessera test vector key two: 32+ bytes, never use' },
  { id: 'k1', secret: 'tessera test vector key one: 32+ bytes, never use' },
] as const
const NOW = 1_800_000_000
const iat = NOW - 600
const exp = NOW + 3600
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const nonces = [0x00, 0x40, 0x80].map((start) => Uint8Array.from({ length: 24 }, (_, i) => (start + i) & 255))

const values = {
  json: { items: [{ sku: 'A-1', qty: 2 }], note: 'plain JSON: the fast path', total: 19.5 },
  meta: {
    items: new Map([['A-1', 2]]),
    updatedAt: new Date(Date.UTC(2027, 0, 15, 8, 0, 0)),
    tags: new Set(['gift']),
    coupon: undefined,
  },
} as const

interface Spec {
  readonly id: string
  readonly note: string
  readonly session: string
  readonly protection: Protection
  readonly value: keyof typeof values
  readonly signWith?: 'k1'
  readonly claims?: { iat: number; exp: number }
  readonly nonce?: number
  /** Open the token as another session, protection, or after mangling it. */
  readonly openAs?: { session?: string; protection?: Protection }
  readonly mangle?: (token: string) => string
}

const specs: Spec[] = []
for (const protection of ['none', 'signed', 'ed25519', 'sealed'] as const) {
  for (const value of ['json', 'meta'] as const) {
    specs.push({
      id: `${protection}-${value}`,
      note: `${protection}, ${value === 'json' ? 'JSON-plain value (codec fast path)' : 'value with Map, Date, Set, undefined (superjson meta)'}`,
      session: 'cart',
      protection,
      value,
      nonce: value === 'json' ? 0 : 1,
    })
  }
}
specs.push(
  {
    id: 'signed-expired',
    note: 'authentic, but its exp is in the past',
    session: 'cart',
    protection: 'signed',
    value: 'json',
    claims: { iat: NOW - 7200, exp: NOW - 1 },
  },
  {
    id: 'signed-rotated',
    note: 'signed with the older key k1: valid, and marked stale for re-issue',
    session: 'cart',
    protection: 'signed',
    value: 'json',
    signWith: 'k1',
  },
  {
    id: 'sealed-rotated',
    note: 'sealed with the older key k1: valid, and marked stale for re-issue',
    session: 'cart',
    protection: 'sealed',
    value: 'json',
    signWith: 'k1',
    nonce: 2,
  },
  {
    id: 'ed25519-rotated',
    note: 'signed with the older key k1: valid, and marked stale for re-issue',
    session: 'cart',
    protection: 'ed25519',
    value: 'json',
    signWith: 'k1',
  },
  {
    id: 'sealed-expired',
    note: 'authentic, but the exp inside the box is in the past',
    session: 'cart',
    protection: 'sealed',
    value: 'json',
    claims: { iat: NOW - 7200, exp: NOW - 1 },
    nonce: 2,
  },
  {
    id: 'signed-other-session',
    note: 'a valid token of session "cart" presented as session "login"',
    session: 'cart',
    protection: 'signed',
    value: 'json',
    openAs: { session: 'login' },
  },
  {
    id: 'sealed-other-session',
    note: 'a valid sealed token of session "cart" presented as session "login"',
    session: 'cart',
    protection: 'sealed',
    value: 'json',
    openAs: { session: 'login' },
  },
  {
    id: 'ed25519-other-session',
    note: 'a valid ed25519 token of session "cart" presented as session "login"',
    session: 'cart',
    protection: 'ed25519',
    value: 'json',
    openAs: { session: 'login' },
  },
  {
    id: 'signed-truncated',
    note: 'the last 5 characters of the tag cut off',
    session: 'cart',
    protection: 'signed',
    value: 'json',
    mangle: (token) => token.slice(0, -5),
  },
  {
    id: 'signed-downgraded',
    note: 'a "none" token presented to a session that is signed',
    session: 'cart',
    protection: 'none',
    value: 'json',
    openAs: { protection: 'signed' },
  },
  {
    id: 'signed-unknown-key',
    note: 'key id changed to one the ring does not hold',
    session: 'cart',
    protection: 'signed',
    value: 'json',
    mangle: (token) => token.replace('v1.s.k2.', 'v1.s.k9.'),
  },
  {
    id: 'ed25519-tampered',
    note: 'one character of the payload changed',
    session: 'cart',
    protection: 'ed25519',
    value: 'json',
    mangle: (token) => {
      const parts = token.split('.')
      parts[5] = (parts[5]![0] === 'A' ? 'B' : 'A') + parts[5]!.slice(1)
      return parts.join('.')
    },
  },
)

async function build() {
  const fullRing = createKeyRing({ keys })
  const oldRing = createKeyRing({ keys: [keys[1]] })
  const derived: Record<string, string> = {}
  const publicKeys: Record<string, string> = {}
  for (const key of fullRing.keys) {
    for (const session of ['cart', 'login']) {
      for (const purpose of ['signed', 'sealed', 'ed25519'] as const) {
        derived[`${key.id}/${purpose}/${session}`] = hex(
          await deriveKey(webCrypto, key.secret, purpose, session),
        )
      }
      const seed = await deriveKey(webCrypto, key.secret, 'ed25519', session)
      publicKeys[`${key.id}/${session}`] = encodeBase64url((await webCrypto.ed25519Signer(seed)).publicKey)
    }
  }

  const vectors = []
  for (const spec of specs) {
    const value = values[spec.value]
    const payload = await superjsonCodec.encode(value)
    const claims = spec.claims ?? { iat, exp }
    const nonce = nonces[spec.nonce ?? 0]!
    const writer = createProtector(
      withSealingNonce(
        {
          protection: spec.protection,
          name: spec.session,
          crypto: webCrypto,
          ring: spec.signWith ? oldRing : fullRing,
        },
        () => nonce,
      ),
    )
    const written = await writer.protect(payload, claims)
    const token = spec.mangle ? spec.mangle(written) : written
    const openSession = spec.openAs?.session ?? spec.session
    const openProtection = spec.openAs?.protection ?? spec.protection
    const reader = createProtector({
      protection: openProtection,
      name: openSession,
      crypto: webCrypto,
      ring: fullRing,
    })
    const outcome = await reader.open(token, NOW)
    vectors.push({
      id: spec.id,
      note: spec.note,
      write: {
        session: spec.session,
        protection: spec.protection,
        key: spec.protection === 'none' ? null : (spec.signWith ?? 'k2'),
        value: superjson.serialize(value),
        payload,
        iat: claims.iat,
        exp: claims.exp,
        nonce: spec.protection === 'sealed' ? hex(nonce) : null,
        token: written,
      },
      read: {
        session: openSession,
        protection: openProtection,
        token,
        expect: outcome.ok
          ? {
              ok: true,
              payload: outcome.payload,
              iat: outcome.iat,
              exp: outcome.exp,
              kid: outcome.kid,
              stale: outcome.stale,
            }
          : { ok: false, reason: outcome.reason },
      },
    })
  }

  return {
    about:
      'tessera wire format v1 test vectors (docs/wire-format.md). Secrets are the UTF-8 bytes of the strings below; ring order is newest first. Read with `now` as the clock (unix seconds).',
    now: NOW,
    keys,
    hkdf: { salt: 'tessera/v1', info: '<purpose>/<session name>', length: 32, derived },
    ed25519PublicKeys: publicKeys,
    vectors,
  }
}

const text = `${JSON.stringify(await build(), null, 2)}\n`
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8')
  if (current !== text) {
    console.error(
      'test/vectors.json is out of date with the implementation: run `pnpm --filter @tessera/core vectors`',
    )
    process.exit(1)
  }
  console.log('test/vectors.json matches the implementation')
} else {
  writeFileSync(file, text)
  console.log(`wrote ${specs.length} vectors to test/vectors.json`)
}

/*
 * Data tokens (`seal`/`sign`, docs/wire-format.md "Data tokens"), in test/data-vectors.json beside the
 * session vectors, which stay as they are. Random bytes (one-time ids, sealing nonces) come from a
 * fixed sequence, so each token is reproducible byte for byte.
 */
const dataFile = new URL('../test/data-vectors.json', import.meta.url)

/** webCrypto whose random bytes are 0, 1, 2, … from `start`: for vectors only. */
function fixedRandom(start: number) {
  let next = start
  return {
    ...webCrypto,
    randomBytes: (length: number) => Uint8Array.from({ length }, () => next++ & 255),
  }
}

async function buildData() {
  const { createSessionEngine } = await import('../src')
  const specs = [
    { id: 'signed-json', kind: 'sign', value: 'json', oneTime: false },
    { id: 'signed-meta-once', kind: 'sign', value: 'meta', oneTime: true },
    { id: 'sealed-json', kind: 'seal', value: 'json', oneTime: false },
    { id: 'sealed-meta-once', kind: 'seal', value: 'meta', oneTime: true },
  ] as const
  const vectors = []
  for (const [index, spec] of specs.entries()) {
    const engine = createSessionEngine({
      keys,
      sessions: [],
      crypto: fixedRandom(index * 64),
      now: () => iat * 1000,
    })
    const options = { purpose: 'password-reset', expiresIn: 3600, oneTime: spec.oneTime }
    const token = await engine[spec.kind](values[spec.value], options)
    vectors.push({
      id: spec.id,
      kind: spec.kind,
      purpose: options.purpose,
      expiresIn: options.expiresIn,
      oneTime: spec.oneTime,
      iat,
      randomStart: index * 64,
      payload: await superjsonCodec.encode(values[spec.value]),
      token,
      // Read at `now`: open with the purpose; refused for another purpose; expired one second past exp.
      expect: { purpose: 'TOKEN_INVALID for "magic-link"', expiredAt: iat + 3600 },
    })
  }
  return {
    about:
      'tessera v1 data token vectors (docs/wire-format.md, "Data tokens"): the keys of vectors.json; written at `iat`; random bytes are the sequence randomStart, randomStart+1, … (mod 256).',
    hkdf: { salt: 'tessera/v1', info: 'data-signed/<purpose> or data-sealed/<purpose>', length: 32 },
    vectors,
  }
}

const dataText = `${JSON.stringify(await buildData(), null, 2)}\n`
if (process.argv.includes('--check')) {
  if (readFileSync(dataFile, 'utf8') !== dataText) {
    console.error('test/data-vectors.json is out of date: run `pnpm --filter @tessera/core vectors`')
    process.exit(1)
  }
  console.log('test/data-vectors.json matches the implementation')
} else {
  writeFileSync(dataFile, dataText)
  console.log('wrote the data token vectors to test/data-vectors.json')
}
