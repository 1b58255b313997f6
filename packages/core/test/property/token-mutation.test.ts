/**
 * Tamper resistance: random mutations of valid tokens (bit flips in the decoded bytes, character
 * flips, truncation, extension, reordered parts, swapped key ids, case changes, parts spliced from
 * other valid tokens) must never open, for each of signed, ed25519 and sealed.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { Protection } from '../../src'
import { webCrypto } from '../../src'
import type { Protector } from '../../src/internal'
import {
  createKeyRing,
  createProtector,
  decodeBase64url,
  encodeBase64url,
  withSealingNonce,
} from '../../src/internal'

const RUNS = 10_000
const NOW = 1_800_000_000
const claims = { iat: NOW - 100, exp: NOW + 3600 }
const k2 = { id: 'k2', secret: 'mutation test key two, 32+ bytes long' }
const k1 = { id: 'k1', secret: 'mutation test key one, 32+ bytes long' }
const ring = createKeyRing({ keys: [k2, k1] })
const oldRing = createKeyRing({ keys: [k1] })
const payloads = ['{"json":{"items":[{"sku":"A-1","qty":2}]}}', '{"json":1}', `{"json":"${'x'.repeat(100)}"}`]

/** Indexes of the parts of each layout that are base64url bytes. */
const BYTE_PARTS: Record<string, number[]> = { signed: [5, 6], ed25519: [5, 6], sealed: [3] }
const KID_PART = 2

type Mutation = { kind: string; apply: (token: string, pool: readonly string[]) => string }

function mutations(protection: Protection): fc.Arbitrary<Mutation> {
  const bytePart = fc.constantFrom(...BYTE_PARTS[protection]!)
  const position = fc.nat()
  const flip = (text: string, at: number, mask: number) =>
    text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ mask) + text.slice(at + 1)
  const withPart = (token: string, index: number, change: (part: string) => string) =>
    token
      .split('.')
      .map((part, i) => (i === index ? change(part) : part))
      .join('.')
  return fc.oneof(
    fc.tuple(bytePart, position).map(([index, bit]) => ({
      kind: 'bit flip in decoded bytes',
      apply: (token: string) =>
        withPart(token, index, (part) => {
          const bytes = decodeBase64url(part)!
          if (bytes.length === 0) return `${part}A`
          bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << (bit % 8)
          return encodeBase64url(bytes)
        }),
    })),
    fc.tuple(position, fc.integer({ min: 0, max: 6 })).map(([at, bit]) => ({
      kind: 'bit flip in a character',
      apply: (token: string) => flip(token, at % token.length, 1 << bit),
    })),
    position.map((cut) => ({
      kind: 'truncation',
      apply: (token: string) => token.slice(0, cut % token.length),
    })),
    fc
      .tuple(
        fc.string({ unit: fc.constantFrom(...'Aa0-_.=+/ %'.split('')), minLength: 1, maxLength: 8 }),
        position,
        fc.boolean(),
      )
      .map(([extra, at, append]) => ({
        kind: 'extension',
        apply: (token: string) => {
          if (append) return token + extra
          const i = at % (token.length + 1)
          return token.slice(0, i) + extra + token.slice(i)
        },
      })),
    fc.tuple(position, position).map(([a, b]) => ({
      kind: 'reordered parts',
      apply: (token: string) => {
        const parts = token.split('.')
        const i = a % parts.length
        const j = b % parts.length
        ;[parts[i], parts[j]] = [parts[j]!, parts[i]!]
        return parts.join('.')
      },
    })),
    fc.constantFrom('k1', 'k2', 'k3', '0', 'K2', 'k2 ', '').map((kid) => ({
      kind: 'key id swap',
      apply: (token: string) => withPart(token, KID_PART, () => kid),
    })),
    position.map((at) => ({
      kind: 'case change',
      apply: (token: string) => {
        const letters = [...token].flatMap((char, i) => (/[a-z]/i.test(char) ? [i] : []))
        const i = letters[at % letters.length]!
        const char = token[i]!
        return (
          token.slice(0, i) +
          (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase()) +
          token.slice(i + 1)
        )
      },
    })),
    fc.tuple(position, position).map(([which, part]) => ({
      kind: 'part spliced from another valid token',
      apply: (token: string, pool: readonly string[]) => {
        const donor = pool[which % pool.length]!.split('.')
        const index = part % donor.length
        return withPart(token, index, () => donor[index]!)
      },
    })),
    fc.tuple(position, fc.boolean()).map(([at, duplicate]) => ({
      kind: 'part removed or doubled',
      apply: (token: string) => {
        const parts = token.split('.')
        const i = at % parts.length
        parts.splice(i, duplicate ? 0 : 1, ...(duplicate ? [parts[i]!] : []))
        return parts.join('.')
      },
    })),
  )
}

const tally: Record<string, Record<string, number>> = {}

afterAll(() => {
  // A record of what ran, printed once per project.
  console.log(`token mutations rejected:\n${JSON.stringify(tally, null, 2)}`)
})

describe('mutated tokens never open (property)', () => {
  for (const protection of ['signed', 'ed25519', 'sealed'] as const) {
    // A guard against a hung run on a busy machine, not a speed assertion (about 1 s each when idle).
    it(`${protection}: ${RUNS} random mutations, all rejected`, { timeout: 60_000 }, async () => {
      const nonce = (() => {
        let n = 0
        return () =>
          Uint8Array.from({ length: 24 }, (_, i) => (n * 31 + i) & 255).map((b, i) =>
            i === 0 ? n++ & 255 : b,
          )
      })()
      const protector: Protector = createProtector(
        withSealingNonce({ protection, name: 'cart', crypto: webCrypto, ring }, nonce),
      )
      const writerOld = createProtector(
        withSealingNonce({ protection, name: 'cart', crypto: webCrypto, ring: oldRing }, nonce),
      )
      const pool = [
        ...(await Promise.all(payloads.map((payload) => protector.protect(payload, claims)))),
        await writerOld.protect(payloads[0]!, claims),
      ]
      // Every token of the pool opens: the rejections below are not vacuous.
      for (const token of pool) expect((await protector.open(token, NOW)).ok).toBe(true)
      const valid = new Set(pool)
      const counts: Record<string, number> = {}
      const reasons: Record<string, number> = {}

      await fc.assert(
        fc.asyncProperty(fc.nat({ max: pool.length - 1 }), mutations(protection), async (which, mutation) => {
          const mutated = mutation.apply(pool[which]!, pool)
          fc.pre(!valid.has(mutated))
          counts[mutation.kind] = (counts[mutation.kind] ?? 0) + 1
          const result = await protector.open(mutated, NOW)
          if (result.ok) throw new Error(`a ${mutation.kind} opened: ${mutated}`)
          reasons[result.reason] = (reasons[result.reason] ?? 0) + 1
        }),
        { numRuns: RUNS },
      )

      const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
      expect(total).toBe(RUNS)
      expect(Object.keys(counts)).toHaveLength(9)
      for (const n of Object.values(counts)) expect(n).toBeGreaterThan(RUNS / 100) // every kind ran
      expect(reasons.SIGNATURE_INVALID).toBeGreaterThan(RUNS / 10) // many reach the crypto check
      tally[protection] = {
        total,
        ...counts,
        ...Object.fromEntries(Object.entries(reasons).map(([r, n]) => [`→ ${r}`, n])),
      }
    })
  }
})
