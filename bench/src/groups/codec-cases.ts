/** The codec group's cases: tessera's protectors and engine, the primitives under them, the peers' codecs. */
import {
  createHmac,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto'
import secureSession from '@fastify/secure-session'
import type { Protection, RequestSessions, SessionCrypto, SessionDescriptor } from '@tessera/core'
import { cookie, defineSession, memoryStorage, superjsonCodec } from '@tessera/core'
import { createKeyRing, createProtector } from '@tessera/core/internal'
import fastify from 'fastify'
import { sealData, unsealData } from 'iron-session'
import superjson from 'superjson'
import nacl from 'tweetnacl'
import { engineFor, fakeRequest } from '../lib/tessera'
import type { Cart, RichCart } from '../workload'
import { BENCH_SECRET, bump, bumpRich, newCart, newRichCart } from '../workload'

/** One microbenchmark: its name, the operation, and the reference rows its ratios divide by. */
export interface Case {
  readonly name: string
  readonly run: () => unknown
  /** ratio key → name of the row divided by. */
  readonly refs?: Readonly<Record<string, string>>
}

const PROTECTIONS: readonly Protection[] = ['signed', 'sealed', 'ed25519', 'none']
const PRIMITIVE: Record<Protection, { encode?: string; decode?: string }> = {
  signed: { encode: 'HMAC-SHA256 sign (node:crypto)', decode: 'HMAC-SHA256 verify (node:crypto)' },
  sealed: { encode: 'secretbox seal (tweetnacl)', decode: 'secretbox open (tweetnacl)' },
  ed25519: { encode: 'Ed25519 sign (node:crypto)', decode: 'Ed25519 verify (node:crypto)' },
  none: { encode: 'JSON.stringify (cart)', decode: 'JSON.parse (cart)' },
}
const PEER_ENCODE = {
  'fastify-secure-session': '@fastify/secure-session encode',
  'iron-session': 'iron-session sealData',
}
const PEER_DECODE = {
  'fastify-secure-session': '@fastify/secure-session decode',
  'iron-session': 'iron-session unsealData',
}

/** Encode and decode of each protection and codec path, through core's protector and default codec. */
export async function tesseraCases(crypto: SessionCrypto): Promise<Case[]> {
  const ring = createKeyRing({ secret: BENCH_SECRET })
  const claims = { iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 }
  const now = claims.iat
  const cases: Case[] = []
  for (const protection of PROTECTIONS) {
    const protector = createProtector({ protection, name: 'cart', crypto, ring })
    for (const [path, value] of [
      ['JSON-plain', newCart()],
      ['Date+Map', newRichCart()],
    ] as const) {
      const encode = async () => protector.protect(await superjsonCodec.encode(value), claims)
      const token = await encode()
      const decode = async () => {
        const opened = await protector.open(token, now)
        if (!opened.ok) throw new Error(`the ${protection} token did not open: ${opened.reason}`)
        return superjsonCodec.decode(opened.payload)
      }
      const decoded = (await decode()) as { count?: unknown }
      if (decoded.count !== 0) throw new Error(`the ${protection} ${path} value did not round-trip`)
      const primitive = PRIMITIVE[protection]
      cases.push(
        {
          name: `tessera ${protection} encode (${path})`,
          run: encode,
          refs: { primitive: primitive.encode!, ...PEER_ENCODE },
        },
        {
          name: `tessera ${protection} decode (${path})`,
          run: decode,
          refs: { primitive: primitive.decode!, ...PEER_DECODE },
        },
      )
    }
  }
  return cases
}

/**
 * One request through the engine with no HTTP around it (a fake header interface): open, get, set,
 * commit. What the adapters add on top is the HTTP rows' business; this isolates the engine.
 */
export async function engineCases(): Promise<Case[]> {
  const Signed = defineSession<Cart>()('cart', { protection: 'signed' })
  const Sealed = defineSession<Cart>()('sealed', { protection: 'sealed' })
  const Rich = defineSession<RichCart>()('rich', { protection: 'signed' })
  const Stored = defineSession<Cart>()('stored', { storage: 'server' })
  const { engine } = await engineFor({
    secret: BENCH_SECRET,
    sessions: [cookie(Signed), cookie(Sealed), cookie(Rich), cookie(Stored, { storage: memoryStorage() })],
  })
  const cookieOf = async (write: (s: RequestSessions) => Promise<void>) => {
    const { io, setCookies } = fakeRequest(undefined)
    const sessions = engine.open(io)
    await write(sessions)
    sessions.commit()
    const line = setCookies[0]
    if (!line) throw new Error('the engine wrote no cookie')
    return line.split(';', 1)[0]!
  }
  const request = (header: string, work: (s: RequestSessions) => Promise<unknown>) => async () => {
    const sessions = engine.open(fakeRequest(header).io)
    await work(sessions)
    sessions.commit()
  }
  const rmw = <T extends { count: number }>(descriptor: SessionDescriptor<T, any>, fresh: () => T) => {
    return async (s: RequestSessions) => {
      const value = await s.get(descriptor)
      if (value === null) throw new Error('the engine lost the session')
      await s.set(descriptor, bump(value, fresh))
    }
  }
  const signed = await cookieOf((s) => s.set(Signed, newCart()))
  const sealed = await cookieOf((s) => s.set(Sealed, newCart()))
  const rich = await cookieOf((s) => s.set(Rich, newRichCart()))
  const stored = await cookieOf((s) => s.set(Stored, newCart()))
  return [
    {
      name: 'tessera engine, signed read-modify-write (no HTTP)',
      run: request(signed, rmw(Signed, newCart)),
    },
    {
      name: 'tessera engine, signed read-only (no HTTP)',
      run: request(signed, (s) => s.get(Signed)),
    },
    {
      name: 'tessera engine, sealed read-modify-write (no HTTP)',
      run: request(sealed, rmw(Sealed, newCart)),
    },
    {
      name: 'tessera engine, signed Date+Map read-modify-write (no HTTP)',
      run: request(rich, async (s) => s.set(Rich, bumpRich(await s.get(Rich)))),
    },
    {
      name: 'tessera engine, stored (memory) read-modify-write (no HTTP)',
      run: request(stored, rmw(Stored, newCart)),
    },
  ]
}

/** The native primitives tessera builds on, and the serializers. */
export function primitiveCases(): Case[] {
  const token = `v1.s.0.1700000000.1700604800.${Buffer.from(JSON.stringify({ json: newCart() })).toString('base64url')}`
  const hmacKey = createSecretKey(randomBytes(32))
  const tag = createHmac('sha256', hmacKey).update(token).digest('base64url')
  const tagBytes = Buffer.from(tag)

  const boxKey = nacl.randomBytes(32)
  const nonce = nacl.randomBytes(24)
  const message = new TextEncoder().encode(JSON.stringify(newCart()))
  const box = nacl.secretbox(message, nonce, boxKey)

  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const data = Buffer.from(token)
  const signature = sign(null, data, privateKey)
  const pair = nacl.sign.keyPair()
  const naclSignature = nacl.sign.detached(data, pair.secretKey)

  const cart = newCart()
  const rich = newRichCart()
  const cartJson = JSON.stringify(cart)
  const richSuperjson = superjson.stringify(rich)
  return [
    {
      name: 'HMAC-SHA256 sign (node:crypto)',
      run: () => createHmac('sha256', hmacKey).update(token).digest('base64url'),
    },
    {
      name: 'HMAC-SHA256 verify (node:crypto)',
      run: () =>
        timingSafeEqual(
          Buffer.from(createHmac('sha256', hmacKey).update(token).digest('base64url')),
          tagBytes,
        ),
    },
    { name: 'secretbox seal (tweetnacl)', run: () => nacl.secretbox(message, nonce, boxKey) },
    { name: 'secretbox open (tweetnacl)', run: () => nacl.secretbox.open(box, nonce, boxKey) },
    { name: 'Ed25519 sign (node:crypto)', run: () => sign(null, data, privateKey) },
    { name: 'Ed25519 verify (node:crypto)', run: () => verify(null, data, publicKey, signature) },
    { name: 'Ed25519 sign (tweetnacl)', run: () => nacl.sign.detached(data, pair.secretKey) },
    {
      name: 'Ed25519 verify (tweetnacl)',
      run: () => nacl.sign.detached.verify(data, naclSignature, pair.publicKey),
    },
    { name: 'JSON.stringify (cart)', run: () => JSON.stringify(cart) },
    { name: 'JSON.parse (cart)', run: () => JSON.parse(cartJson) },
    {
      name: 'superjson.stringify (cart)',
      run: () => superjson.stringify(cart),
      refs: { json: 'JSON.stringify (cart)' },
    },
    {
      name: 'superjson.stringify (Date+Map cart)',
      run: () => superjson.stringify(rich),
      refs: { json: 'JSON.stringify (cart)' },
    },
    {
      name: 'superjson.parse (Date+Map cart)',
      run: () => superjson.parse(richSuperjson),
      refs: { json: 'JSON.parse (cart)' },
    },
  ]
}

/** The peers' codecs, called the way their plugins call them. */
export async function peerCases(): Promise<{ cases: Case[]; close: () => Promise<void> }> {
  const options = { password: BENCH_SECRET, ttl: 3600 }
  const cart = { cart: newCart() }
  const sealed = await sealData(cart, options)

  const app = fastify({ logger: false })
  await app.register(secureSession, { key: randomBytes(32), cookieName: 'session', cookie: { path: '/' } })
  await app.ready()
  const decorated = app as unknown as {
    createSecureSession(data: unknown): unknown
    encodeSecureSession(session: unknown): string
    decodeSecureSession(cookie: string): unknown
  }
  const encoded = decorated.encodeSecureSession(decorated.createSecureSession(cart))
  if (decorated.decodeSecureSession(encoded) === null) throw new Error('secure-session did not round-trip')
  return {
    cases: [
      { name: 'iron-session sealData', run: () => sealData(cart, options) },
      { name: 'iron-session unsealData', run: () => unsealData(sealed, options) },
      {
        name: '@fastify/secure-session encode',
        run: () => decorated.encodeSecureSession(decorated.createSecureSession(cart)),
      },
      { name: '@fastify/secure-session decode', run: () => decorated.decodeSecureSession(encoded) },
    ],
    close: async () => {
      await app.close()
    },
  }
}
