/**
 * The vectors against an independent reading of docs/wire-format.md: HKDF written out from HMAC
 * (RFC 5869), Ed25519 with tweetnacl rather than WebCrypto, base64url through atob/btoa, and a reader
 * of its own. Nothing here calls core's protector, key ring or encoders, so a shared bug cannot hide.
 */
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import file from './vectors.json'

const text = new TextEncoder()
const utf8 = (value: string) => text.encode(value)
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g)!, (pair) => Number.parseInt(pair, 16))
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
/** Strict: only the canonical text of some bytes decodes. */
const unb64url = (value: string): Uint8Array | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length % 4 === 1) return null
  const bytes = Uint8Array.from(atob(value.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
  return b64url(bytes) === value ? bytes : null
}

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const imported = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, new Uint8Array(data)))
}

/** RFC 5869 with L = 32: one block of expand. */
async function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array): Promise<Uint8Array> {
  const prk = await hmac(salt, ikm)
  return hmac(prk, concat(info, new Uint8Array([1])))
}

const secretOf = (id: string) => utf8(file.keys.find((key) => key.id === id)!.secret)
const keyFor = (id: string, purpose: string, session: string) =>
  hkdf32(secretOf(id), utf8('tessera/v1'), utf8(`${purpose}/${session}`))
const bound = (session: string, signedPart: string) =>
  concat(utf8(session), new Uint8Array([0]), utf8(signedPart))

async function write(w: (typeof file.vectors)[number]['write']): Promise<string> {
  const body = b64url(utf8(w.payload))
  switch (w.protection) {
    case 'none':
      return `v1.n.${w.iat}.${w.exp}.${body}`
    case 'signed': {
      const part = `v1.s.${w.key}.${w.iat}.${w.exp}.${body}`
      return `${part}.${b64url(await hmac(await keyFor(w.key!, 'signed', w.session), bound(w.session, part)))}`
    }
    case 'ed25519': {
      const part = `v1.e.${w.key}.${w.iat}.${w.exp}.${body}`
      const pair = nacl.sign.keyPair.fromSeed(await keyFor(w.key!, 'ed25519', w.session))
      return `${part}.${b64url(nacl.sign.detached(bound(w.session, part), pair.secretKey))}`
    }
    default: {
      const nonce = fromHex(w.nonce!)
      const box = nacl.secretbox(
        utf8(`${w.iat}.${w.exp}.${w.payload}`),
        nonce,
        await keyFor(w.key!, 'sealed', w.session),
      )
      return `v1.x.${w.key}.${b64url(concat(nonce, box))}`
    }
  }
}

const LETTER: Record<string, string> = { none: 'n', signed: 's', ed25519: 'e', sealed: 'x' }
const PARTS: Record<string, number> = { none: 5, signed: 7, ed25519: 7, sealed: 4 }
const claim = (value: string) => (/^(0|[1-9][0-9]{0,11})$/.test(value) ? Number(value) : null)

/** A reader written from the spec's steps. */
async function read(r: (typeof file.vectors)[number]['read'], now: number): Promise<Record<string, unknown>> {
  const refuse = (reason: string) => ({ ok: false, reason })
  const parts = r.token.split('.')
  if (parts[0] !== 'v1') return refuse('MALFORMED')
  if (parts[1] !== LETTER[r.protection]) {
    return Object.values(LETTER).includes(parts[1]!) ? refuse('WRONG_PROTECTION') : refuse('MALFORMED')
  }
  if (parts.length !== PARTS[r.protection]) return refuse('MALFORMED')
  const ids = file.keys.map((key) => key.id)
  const finish = (kid: string | null, iat: number, exp: number, payload: string) =>
    exp !== 0 && now >= exp
      ? refuse('EXPIRED')
      : { ok: true, payload, iat, exp, kid, stale: kid !== null && kid !== ids[0] }
  if (r.protection === 'sealed') {
    const [, , kid, boxText] = parts as [string, string, string, string]
    const sealed = unb64url(boxText)
    if (!sealed || sealed.length < 40) return refuse('MALFORMED')
    if (!ids.includes(kid)) return refuse('UNKNOWN_KEY')
    const opened = nacl.secretbox.open(
      sealed.slice(24),
      sealed.slice(0, 24),
      await keyFor(kid, 'sealed', r.session),
    )
    if (!opened) return refuse('SIGNATURE_INVALID')
    const [iat, exp, ...rest] = new TextDecoder().decode(opened).split('.')
    return finish(kid, claim(iat!)!, claim(exp!)!, rest.join('.'))
  }
  if (r.protection === 'none') {
    const [, , iat, exp, body] = parts as [string, string, string, string, string]
    return finish(null, claim(iat)!, claim(exp)!, new TextDecoder().decode(unb64url(body)!))
  }
  const [, , kid, iatText, expText, body, tag] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  const iat = claim(iatText)
  const exp = claim(expText)
  // The signed tag is compared as text, so its syntax check is the alphabet alone (the vector
  // `signed-truncated` pins SIGNATURE_INVALID); an Ed25519 signature must decode to 64 bytes.
  const tagBytes = r.protection === 'signed' ? utf8(tag) : unb64url(tag)
  const tagOk = r.protection === 'signed' ? /^[A-Za-z0-9_-]*$/.test(tag) : tagBytes?.length === 64
  if (iat === null || exp === null || !unb64url(body) || !tagBytes || !tagOk) return refuse('MALFORMED')
  if (!ids.includes(kid)) return refuse('UNKNOWN_KEY')
  const signedPart = r.token.slice(0, r.token.lastIndexOf('.'))
  const valid =
    r.protection === 'signed'
      ? b64url(await hmac(await keyFor(kid, 'signed', r.session), bound(r.session, signedPart))) === tag
      : nacl.sign.detached.verify(
          bound(r.session, signedPart),
          tagBytes,
          nacl.sign.keyPair.fromSeed(await keyFor(kid, 'ed25519', r.session)).publicKey,
        )
  if (!valid) return refuse('SIGNATURE_INVALID')
  return finish(kid, iat, exp, new TextDecoder().decode(unb64url(body)!))
}

describe('v1 vectors against an independent reading of the spec', () => {
  it('HKDF written out from HMAC gives every derived key', async () => {
    for (const [label, hex] of Object.entries(file.hkdf.derived)) {
      const [id, purpose, session] = label.split('/') as [string, string, string]
      expect(toHex(await keyFor(id, purpose, session)), label).toBe(hex)
    }
  })

  it('tweetnacl gives every Ed25519 public key', async () => {
    for (const [label, publicKey] of Object.entries(file.ed25519PublicKeys)) {
      const [id, session] = label.split('/') as [string, string]
      expect(b64url(nacl.sign.keyPair.fromSeed(await keyFor(id, 'ed25519', session)).publicKey), label).toBe(
        publicKey,
      )
    }
  })

  it('writes every token byte for byte', async () => {
    for (const vector of file.vectors) expect(await write(vector.write), vector.id).toBe(vector.write.token)
  })

  it('reads every token to its expected outcome', async () => {
    for (const vector of file.vectors)
      expect(await read(vector.read, file.now), vector.id).toEqual(vector.read.expect)
  })
})
