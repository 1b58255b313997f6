/**
 * The v1 test vectors, reproduced byte for byte with core's portable crypto (WebCrypto, tweetnacl).
 * `vectors.node.test.ts` checks the same file against an independent reading of docs/wire-format.md.
 */
import superjson from 'superjson'
import { describe, expect, it } from 'vitest'
import type { Protection } from '../src'
import { superjsonCodec, webCrypto } from '../src'
import type { OpenResult } from '../src/internal'
import { createKeyRing, createProtector, deriveKey, encodeBase64url, withSealingNonce } from '../src/internal'
import file from './vectors.json'

interface Vector {
  id: string
  write: {
    session: string
    protection: Protection
    key: string | null
    value: Parameters<typeof superjson.deserialize>[0]
    payload: string
    iat: number
    exp: number
    nonce: string | null
    token: string
  }
  read: {
    session: string
    protection: Protection
    token: string
    expect: Record<string, unknown>
  }
}

const vectors = file.vectors as Vector[]
const fullRing = createKeyRing({ keys: file.keys })
/** The ring a vector was written with: the full ring when the newest key wrote, else that key alone. */
const writerRing = (key: string | null) =>
  key === null || key === file.keys[0]!.id
    ? fullRing
    : createKeyRing({ keys: file.keys.filter((k) => k.id === key) })
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (pair) => Number.parseInt(pair, 16))
const toHex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')
const secretOf = (id: string) => fullRing.keys.find((key) => key.id === id)!.secret

/** An open result in the vectors' JSON shape. */
function outcome(result: OpenResult): Record<string, unknown> {
  return result.ok
    ? {
        ok: true,
        payload: result.payload,
        iat: result.iat,
        exp: result.exp,
        kid: result.kid,
        stale: result.stale,
      }
    : { ok: false, reason: result.reason }
}

describe('v1 vectors with webCrypto', () => {
  it('cover every protection, rotation and every refusal the wire format defines', () => {
    expect(file.now).toBe(1_800_000_000)
    const protections = new Set(vectors.filter((v) => v.read.expect.ok).map((v) => v.write.protection))
    expect([...protections].sort()).toEqual(['ed25519', 'none', 'sealed', 'signed'])
    const stale = vectors.filter((v) => v.read.expect.stale === true).map((v) => v.write.protection)
    expect(stale.sort()).toEqual(['ed25519', 'sealed', 'signed'])
    const reasons = new Set(vectors.map((v) => v.read.expect.reason).filter(Boolean))
    expect([...reasons].sort()).toEqual(['EXPIRED', 'SIGNATURE_INVALID', 'UNKNOWN_KEY', 'WRONG_PROTECTION'])
  })

  it('derives every HKDF key', async () => {
    const entries = Object.entries(file.hkdf.derived)
    expect(entries).toHaveLength(12)
    for (const [label, hex] of entries) {
      const [id, purpose, session] = label.split('/') as [string, 'signed' | 'sealed' | 'ed25519', string]
      expect(toHex(await deriveKey(webCrypto, secretOf(id), purpose, session)), label).toBe(hex)
    }
  })

  it('derives every Ed25519 public key', async () => {
    const entries = Object.entries(file.ed25519PublicKeys)
    expect(entries).toHaveLength(4)
    for (const [label, publicKey] of entries) {
      const [id, session] = label.split('/') as [string, string]
      const seed = await deriveKey(webCrypto, secretOf(id), 'ed25519', session)
      expect(encodeBase64url((await webCrypto.ed25519Signer(seed)).publicKey), label).toBe(publicKey)
    }
  })

  for (const vector of vectors) {
    describe(vector.id, () => {
      it('encodes write.value into write.payload with superjsonCodec', async () => {
        const value = superjson.deserialize(vector.write.value)
        expect(await superjsonCodec.encode(value)).toBe(vector.write.payload)
        expect(await superjsonCodec.decode(vector.write.payload)).toEqual(value)
      })

      it('protects write.payload into write.token byte for byte', async () => {
        const { write } = vector
        const nonce = write.nonce === null ? undefined : fromHex(write.nonce)
        const options = {
          protection: write.protection,
          name: write.session,
          crypto: webCrypto,
          ring: writerRing(write.key),
        }
        const protector = createProtector(nonce ? withSealingNonce(options, () => nonce) : options)
        expect(await protector.protect(write.payload, { iat: write.iat, exp: write.exp })).toBe(write.token)
      })

      it('opens read.token to read.expect', async () => {
        const { read } = vector
        const protector = createProtector({
          protection: read.protection,
          name: read.session,
          crypto: webCrypto,
          ring: fullRing,
        })
        expect(outcome(await protector.open(read.token, file.now))).toEqual(read.expect)
      })
    })
  }
})
