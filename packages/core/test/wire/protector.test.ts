import { describe, expect, it } from 'vitest'
import type { Protection } from '../../src'
import { isSessionError, webCrypto } from '../../src'
import {
  createEd25519Opener,
  createKeyRing,
  createProtector,
  decodeBase64url,
  encodeBase64url,
  MAX_TOKEN_LENGTH,
  PROTECTION_LETTER,
  parseToken,
  splitToken,
  withSealingNonce,
} from '../../src/internal'

const ring = createKeyRing({
  keys: [
    { id: 'new', secret: 'the newest key of the ring, 32+ bytes' },
    { id: 'old', secret: 'the older key of the ring, also 32+ bytes' },
  ],
})
const oldOnly = createKeyRing({ keys: [{ id: 'old', secret: 'the older key of the ring, also 32+ bytes' }] })
const NOW = 1_800_000_000
const claims = { iat: NOW - 10, exp: NOW + 100 }
const protections: Protection[] = ['none', 'signed', 'ed25519', 'sealed']
const protector = (protection: Protection, name = 'cart', keys = ring) =>
  createProtector({ protection, name, crypto: webCrypto, ring: keys })

describe('protectors', () => {
  for (const protection of protections) {
    describe(protection, () => {
      it('round-trips payloads, including dots, unicode and the empty string', async () => {
        const p = protector(protection)
        for (const payload of ['{"json":1}', 'a.b.c..', 'é🛒\u0000', '']) {
          const token = await p.protect(payload, claims)
          expect(token.startsWith(`v1.${PROTECTION_LETTER[protection]}.`)).toBe(true)
          expect(token).toMatch(/^[A-Za-z0-9_.-]+$/)
          const opened = await p.open(token, NOW)
          expect(opened).toMatchObject({ ok: true, payload, iat: claims.iat, exp: claims.exp, stale: false })
          expect(opened.ok && opened.kid).toBe(protection === 'none' ? null : 'new')
        }
      })

      it('refuses at exp and after, never before; exp 0 never expires', async () => {
        const p = protector(protection)
        const token = await p.protect('x', claims)
        expect((await p.open(token, claims.exp - 1)).ok).toBe(true)
        expect(await p.open(token, claims.exp)).toEqual({ ok: false, reason: 'EXPIRED' })
        expect(await p.open(token, claims.exp + 10 ** 6)).toEqual({ ok: false, reason: 'EXPIRED' })
        const forever = await p.protect('x', { iat: 1, exp: 0 })
        expect((await p.open(forever, 10 ** 11)).ok).toBe(true)
      })

      it('refuses tokens of every other protection as WRONG_PROTECTION', async () => {
        for (const other of protections.filter((o) => o !== protection)) {
          const token = await protector(other).protect('x', claims)
          expect(await protector(protection).open(token, NOW)).toEqual({
            ok: false,
            reason: 'WRONG_PROTECTION',
          })
        }
      })

      it('refuses garbage as MALFORMED', async () => {
        const p = protector(protection)
        const letter = PROTECTION_LETTER[protection]
        const garbage = [
          '',
          'abc',
          'abc/abc:abc',
          'v1',
          'v1.',
          `v2.${letter}.x.y`,
          `V1.${letter}.new.1.2.e30.AAAA`,
          `v1.q.new.1.2.e30.AAAA`,
          `v1.${letter}`,
          `v1.${letter}.new.1.2.e30.AAAA.extra.parts`,
          `v1.${letter}.${'A'.repeat(MAX_TOKEN_LENGTH)}`,
        ]
        for (const token of garbage)
          expect(await p.open(token, NOW), token.slice(0, 40)).toEqual({ ok: false, reason: 'MALFORMED' })
      })
    })
  }

  it('signed and ed25519 refuse non-canonical claims, an empty key id and bad base64url as MALFORMED', async () => {
    for (const protection of ['signed', 'ed25519'] as const) {
      const p = protector(protection)
      const token = await p.protect('x', claims)
      const parts = token.split('.')
      const variants = [
        { 3: `0${parts[3]}` },
        { 3: '-1' },
        { 4: '1'.repeat(13) },
        { 4: '1e9' },
        { 2: '' },
        { 5: `${parts[5]}=` },
        { 6: `${parts[6]}+` },
      ]
      for (const change of variants) {
        const changed = parts
          .map((part, i) => (i in change ? change[i as keyof typeof change]! : part))
          .join('.')
        expect(await p.open(changed, NOW), `${protection} ${JSON.stringify(change)}`).toEqual({
          ok: false,
          reason: 'MALFORMED',
        })
      }
    }
  })

  it('ed25519 refuses a signature that is not 64 bytes as MALFORMED', async () => {
    const p = protector('ed25519')
    const token = await p.protect('x', claims)
    const head = token.slice(0, token.lastIndexOf('.'))
    const sig = decodeBase64url(token.slice(token.lastIndexOf('.') + 1))!
    for (const bytes of [sig.subarray(0, 63), new Uint8Array([...sig, 0])]) {
      expect(await p.open(`${head}.${encodeBase64url(bytes)}`, NOW)).toEqual({
        ok: false,
        reason: 'MALFORMED',
      })
    }
  })

  it('sealed refuses a box shorter than nonce + tag as MALFORMED', async () => {
    const p = protector('sealed')
    for (const length of [0, 24, 39]) {
      expect(await p.open(`v1.x.new.${encodeBase64url(new Uint8Array(length))}`, NOW)).toEqual({
        ok: false,
        reason: 'MALFORMED',
      })
    }
    expect(await p.open(`v1.x.new.${encodeBase64url(new Uint8Array(40))}`, NOW)).toEqual({
      ok: false,
      reason: 'SIGNATURE_INVALID',
    })
  })

  it('none refuses a body that is not UTF-8 as MALFORMED', async () => {
    expect(await protector('none').open(`v1.n.1.0.${encodeBase64url(new Uint8Array([0xff]))}`, NOW)).toEqual({
      ok: false,
      reason: 'MALFORMED',
    })
  })

  it('reports tokens of an older ring key as stale, and refuses unknown key ids', async () => {
    for (const protection of ['signed', 'ed25519', 'sealed'] as const) {
      const token = await protector(protection, 'cart', oldOnly).protect('x', claims)
      expect(await protector(protection).open(token, NOW)).toMatchObject({
        ok: true,
        kid: 'old',
        stale: true,
      })
      const unknown = token.replace(/^(v1\.[sex]\.)old\./, '$1gone.')
      expect(unknown).not.toBe(token)
      expect(await protector(protection).open(unknown, NOW)).toEqual({ ok: false, reason: 'UNKNOWN_KEY' })
    }
  })

  it('binds the session name: a token of one session never opens as another', async () => {
    for (const protection of ['signed', 'ed25519', 'sealed'] as const) {
      const token = await protector(protection, 'cart').protect('x', claims)
      for (const name of ['login', 'Cart', 'cart2', 'car']) {
        expect(await protector(protection, name).open(token, NOW)).toEqual({
          ok: false,
          reason: 'SIGNATURE_INVALID',
        })
      }
    }
  })

  it('seals with a fresh random nonce each time', async () => {
    const p = protector('sealed')
    expect(await p.protect('x', claims)).not.toBe(await p.protect('x', claims))
  })

  it('takes no nonce from its options: a constant `nonce` is ignored, and sealing stays random', async () => {
    const constant = () => new Uint8Array(24).fill(3)
    const p = createProtector({
      protection: 'sealed',
      name: 'cart',
      crypto: webCrypto,
      ring,
      nonce: constant,
    } as never)
    expect(await p.protect('x', claims)).not.toBe(await p.protect('x', claims))
    const fixed = createProtector(
      withSealingNonce({ protection: 'sealed', name: 'cart', crypto: webCrypto, ring }, constant),
    )
    expect(await fixed.protect('x', claims)).toBe(await fixed.protect('x', claims))
  })

  it('refuses a fixed nonce that is not 24 bytes', async () => {
    const p = createProtector(
      withSealingNonce(
        { protection: 'sealed', name: 'cart', crypto: webCrypto, ring },
        () => new Uint8Array(12),
      ),
    )
    await expect(p.protect('x', claims)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })

  it('needs a ring for every protection but none, and a known protection', () => {
    for (const protection of ['signed', 'ed25519', 'sealed'] as const) {
      let error: unknown
      try {
        createProtector({ protection, name: 'cart', crypto: webCrypto })
      } catch (caught) {
        error = caught
      }
      expect(isSessionError(error, 'INVALID_KEY')).toBe(true)
    }
    expect(createProtector({ protection: 'none', name: 'cart', crypto: webCrypto }).protection).toBe('none')
    expect(() =>
      createProtector({ protection: 'rot13' as never, name: 'cart', crypto: webCrypto, ring }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })

  it('lists the Ed25519 public keys of the ring, and a browser opens tokens with them alone', async () => {
    const p = protector('ed25519')
    const publicKeys = await p.publicKeys!()
    expect(Object.keys(publicKeys)).toEqual(['new', 'old'])
    const token = await protector('ed25519', 'cart', oldOnly).protect('{"json":1}', claims)
    const opener = createEd25519Opener({
      name: 'cart',
      newestKid: 'new',
      async verifierFor(kid) {
        const key = publicKeys[kid]
        return key === undefined ? undefined : webCrypto.ed25519Verifier(decodeBase64url(key)!)
      },
    })
    expect(await opener.open(token, NOW)).toMatchObject({
      ok: true,
      payload: '{"json":1}',
      kid: 'old',
      stale: true,
    })
    const login = createEd25519Opener({
      name: 'login',
      verifierFor: async (kid) => webCrypto.ed25519Verifier(decodeBase64url(publicKeys[kid]!)!),
    })
    expect(await login.open(token, NOW)).toEqual({ ok: false, reason: 'SIGNATURE_INVALID' })
    expect(protector('signed').publicKeys).toBeUndefined()
  })
})

describe('splitToken', () => {
  it('splits v1 tokens of the expected protection and says why it will not otherwise', () => {
    expect(splitToken('v1.n.1.2.e30', 'none')).toEqual(['v1', 'n', '1', '2', 'e30'])
    expect(splitToken('v1.s.k.1.2.e30.tag', 'none')).toBe('WRONG_PROTECTION')
    expect(splitToken('v1.z.1.2.e30', 'none')).toBe('MALFORMED')
    expect(splitToken('v1.n.1.2', 'none')).toBe('MALFORMED')
    expect(splitToken('v0.n.1.2.e30', 'none')).toBe('MALFORMED')
    expect(splitToken(`v1.n.1.2.${'A'.repeat(MAX_TOKEN_LENGTH)}`, 'none')).toBe('MALFORMED')
  })
})

describe('parseToken', () => {
  it('parses none (5 parts) and signed or ed25519 (7 parts) tokens into claims and parts', () => {
    expect(parseToken('v1.n.1.0.e30', 'none')).toEqual({ kid: '', iat: 1, exp: 0, body: 'e30', tag: '' })
    expect(parseToken('v1.s.k1.10.20.e30.AAAA', 'signed')).toEqual({
      kid: 'k1',
      iat: 10,
      exp: 20,
      body: 'e30',
      tag: 'AAAA',
    })
    expect(parseToken('v1.e.0.10.20.e30.AAAA', 'ed25519')).toMatchObject({ kid: '0', body: 'e30' })
  })

  it('says WRONG_PROTECTION for a v1 token of another protection, MALFORMED for anything else', () => {
    expect(parseToken('v1.s.k1.10.20.e30.AAAA', 'ed25519')).toBe('WRONG_PROTECTION')
    expect(parseToken('v1.x.k1.AAAA', 'none')).toBe('WRONG_PROTECTION')
    for (const token of [
      '',
      'v1.q.1.0.e30',
      'v2.n.1.0.e30',
      'v1.n.1.0',
      'v1.n.1.0.e30.extra',
      'v1.n.01.0.e30',
      'v1.n.1.-1.e30',
      'v1.n.1.0.e3=',
      'v1.s..10.20.e30.AAAA',
      'v1.s.k1.10.20.e30.AA+A',
      'v1.s.k1.10.1e3.e30.AAAA',
      `v1.n.1.0.${'A'.repeat(MAX_TOKEN_LENGTH)}`,
    ]) {
      expect(parseToken(token, token.startsWith('v1.s') ? 'signed' : 'none'), token.slice(0, 40)).toBe(
        'MALFORMED',
      )
    }
  })
})
