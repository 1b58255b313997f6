import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { webCrypto } from '../../src'
import {
  createEd25519Opener,
  createKeyRing,
  createProtector,
  decodeBase64url,
  deriveKey,
  encodeBase64url,
  MAX_TOKEN_LENGTH,
  openNone,
  splitToken,
  withSealingNonce,
} from '../../src/internal'

const SECRET = 'the sealing secret of this test, 32+ bytes'
const NOW = 1_800_000_000
const utf8 = (text: string) => new TextEncoder().encode(text)

describe('the token length limit', () => {
  /** A valid `none` token of exactly `length` characters. */
  const noneTokenOf = (length: number) => {
    const bodyLength = length - 'v1.n.1.0.'.length
    // base64url of n bytes is 4n/3 characters, rounded up; a length of 1 modulo 4 does not exist.
    expect(bodyLength % 4).not.toBe(1)
    const bytes = Math.floor((bodyLength * 3) / 4)
    const token = `v1.n.1.0.${encodeBase64url(utf8('a'.repeat(bytes)))}`
    expect(token).toHaveLength(length)
    return token
  }

  it(`opens a token of exactly MAX_TOKEN_LENGTH (${MAX_TOKEN_LENGTH}) characters, refuses one character more`, async () => {
    expect(MAX_TOKEN_LENGTH).toBe(64 * 1024)
    expect(openNone(noneTokenOf(MAX_TOKEN_LENGTH), NOW)).toMatchObject({ ok: true })
    expect(openNone(noneTokenOf(MAX_TOKEN_LENGTH + 1), NOW)).toEqual({ ok: false, reason: 'MALFORMED' })
    const p = createProtector({ protection: 'none', name: 'cart', crypto: webCrypto })
    expect(await p.open(noneTokenOf(MAX_TOKEN_LENGTH), NOW)).toMatchObject({ ok: true })
    expect(await p.open(noneTokenOf(MAX_TOKEN_LENGTH + 1), NOW)).toEqual({ ok: false, reason: 'MALFORMED' })
  })
})

describe('the protection letter', () => {
  it('is WRONG_PROTECTION only for one known letter; anything longer or else is MALFORMED', () => {
    expect(splitToken('v1.s.0.1.0.e30.tag', 'none')).toBe('WRONG_PROTECTION')
    expect(splitToken('v1.x.0.box', 'signed')).toBe('WRONG_PROTECTION')
    for (const letter of ['nn', 'sx', 'xs', 'an', 'na', 'N', '', 'v1']) {
      expect(splitToken(`v1.${letter}.1.0.e30`, 'none')).toBe('MALFORMED')
      expect(splitToken(`v1.${letter}.0.box`, 'sealed')).toBe('MALFORMED')
    }
  })
})

describe('sealed boxes that open but do not hold iat.exp.payload', () => {
  const ring = createKeyRing({ secret: SECRET })
  const sealed = createProtector({ protection: 'sealed', name: 'cart', crypto: webCrypto, ring })

  /** Seals `plaintext` as tessera does (docs/wire-format.md): secretbox under HKDF's `sealed/cart` key. */
  async function seal(plaintext: Uint8Array): Promise<string> {
    const key = await deriveKey(webCrypto, utf8(SECRET), 'sealed', 'cart')
    const nonce = Uint8Array.from({ length: 24 }, (_, i) => i)
    const box = nacl.secretbox(plaintext, nonce, key)
    const bytes = new Uint8Array(24 + box.length)
    bytes.set(nonce)
    bytes.set(box, 24)
    return `v1.x.0.${encodeBase64url(bytes)}`
  }

  it('the hand-made box is a real one: iat.exp.payload opens, dots in the payload kept', async () => {
    const token = await seal(utf8(`${NOW - 5}.${NOW + 60}.{"a":"b.c"}`))
    expect(await sealed.open(token, NOW)).toEqual({
      ok: true,
      payload: '{"a":"b.c"}',
      iat: NOW - 5,
      exp: NOW + 60,
      kid: '0',
      stale: false,
    })
    expect(await sealed.open(await seal(utf8(`${NOW - 5}.0.`)), NOW)).toMatchObject({ ok: true, payload: '' })
    expect(await sealed.open(await seal(utf8(`1.${NOW}.x`)), NOW)).toEqual({ ok: false, reason: 'EXPIRED' })
  })

  it('refuses as MALFORMED a plaintext without two dots, with claims that are not canonical, or not UTF-8', async () => {
    const plaintexts = [
      '',
      'payload',
      `${NOW}`,
      `${NOW}.0`,
      `${NOW}.00`,
      `.${NOW}.0.x`,
      `${NOW}..x`,
      `01.0.x`,
      `${NOW}.-1.x`,
      `${NOW}.1e3.x`,
      `x.0.payload`,
      `${NOW}.y.payload`,
      '1234567890123.0.x',
    ].map(utf8)
    const notUtf8 = [
      Uint8Array.of(0xff, 0x2e, 0x30, 0x2e, 0x78),
      Uint8Array.of(...utf8(`${NOW}.0.`), 0xc3),
      Uint8Array.of(...utf8(`${NOW}.0.`), 0xed, 0xa0, 0x80),
    ]
    for (const plaintext of [...plaintexts, ...notUtf8]) {
      expect(await sealed.open(await seal(plaintext), NOW)).toEqual({ ok: false, reason: 'MALFORMED' })
    }
  })
})

describe('an Ed25519 opener without a newest key id (the browser)', () => {
  const keys = [
    { id: 'new', secret: 'the newest key of the ring, 32+ bytes' },
    { id: 'old', secret: 'the older key of the ring, also 32+ bytes' },
  ]
  const ring = createKeyRing({ keys })
  const signer = createProtector({ protection: 'ed25519', name: 'cart', crypto: webCrypto, ring })
  const oldSigner = createProtector({
    protection: 'ed25519',
    name: 'cart',
    crypto: webCrypto,
    ring: createKeyRing({ keys: [keys[1]!] }),
  })

  it('marks no token stale, of whichever key; with a newest key id, only the others', async () => {
    const publicKeys = await signer.publicKeys!()
    const verifierFor = (kid: string) =>
      publicKeys[kid] === undefined
        ? undefined
        : webCrypto.ed25519Verifier(decodeBase64url(publicKeys[kid]!)!)
    const browser = createEd25519Opener({ name: 'cart', verifierFor })
    const server = createEd25519Opener({ name: 'cart', verifierFor, newestKid: 'new' })
    const claims = { iat: NOW, exp: 0 }
    const newer = await signer.protect('x', claims)
    const older = await oldSigner.protect('x', claims)
    expect(await browser.open(newer, NOW)).toMatchObject({ ok: true, kid: 'new', stale: false })
    expect(await browser.open(older, NOW)).toMatchObject({ ok: true, kid: 'old', stale: false })
    expect(await server.open(newer, NOW)).toMatchObject({ ok: true, kid: 'new', stale: false })
    expect(await server.open(older, NOW)).toMatchObject({ ok: true, kid: 'old', stale: true })
  })
})

describe('protector set-up and sealing edges', () => {
  const ring = createKeyRing({ secret: SECRET })

  it('a sealed protector opens what it sealed, from its first calls (sharing one key preparation) on', async () => {
    const p = createProtector({ protection: 'sealed', name: 'cart', crypto: webCrypto, ring })
    const first = await Promise.all(['a', 'b'].map((payload) => p.protect(payload, { iat: NOW, exp: 0 })))
    const later = await p.protect('c', { iat: NOW, exp: NOW + 60 })
    expect(await Promise.all([...first, later].map((token) => p.open(token, NOW)))).toMatchObject([
      { ok: true, payload: 'a', iat: NOW, exp: 0 },
      { ok: true, payload: 'b', iat: NOW, exp: 0 },
      { ok: true, payload: 'c', iat: NOW, exp: NOW + 60 },
    ])
  })

  it('a sealed token with an empty key id is MALFORMED, not an unknown key', async () => {
    const p = createProtector({ protection: 'sealed', name: 'cart', crypto: webCrypto, ring })
    const token = await p.protect('x', { iat: NOW, exp: 0 })
    expect(await p.open(token.replace(/^v1\.x\.0\./, 'v1.x..'), NOW)).toEqual({
      ok: false,
      reason: 'MALFORMED',
    })
  })

  it('each protector says which protection it is', () => {
    for (const protection of ['none', 'signed', 'ed25519', 'sealed'] as const) {
      expect(createProtector({ protection, name: 'cart', crypto: webCrypto, ring }).protection).toBe(
        protection,
      )
    }
    expect(webCrypto.name).toBe('webcrypto')
  })

  it('errors say what is wrong', () => {
    const fail = (run: () => unknown) => {
      try {
        run()
      } catch (error) {
        return error
      }
      return undefined
    }
    expect(
      fail(() => createProtector({ protection: 'signed', name: 'cart', crypto: webCrypto })),
    ).toMatchObject({
      code: 'INVALID_KEY',
      message: 'session "cart" is signed and needs a secret or keys',
    })
    expect(
      fail(() => createProtector({ protection: 'rot13' as never, name: 'cart', crypto: webCrypto, ring })),
    ).toMatchObject({ code: 'INVALID_OPTION', message: 'unknown protection "rot13"' })
  })

  it('a sealing nonce that is not 24 bytes: INVALID_OPTION saying so', async () => {
    const p = createProtector(
      withSealingNonce(
        { protection: 'sealed', name: 'cart', crypto: webCrypto, ring },
        () => new Uint8Array(12),
      ),
    )
    await expect(Promise.resolve().then(() => p.protect('x', { iat: NOW, exp: 0 }))).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'a sealing nonce must be 24 bytes',
    })
  })
})
