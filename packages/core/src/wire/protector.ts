import type { Awaitable } from '../awaitable'
import { when } from '../awaitable'
import type { KeyPurpose, KeyRing } from '../crypto/key-ring'
import { deriveKey } from '../crypto/key-ring'
import type { Base64urlCodec, Ed25519Verify, SessionCrypto, TagFunction } from '../crypto/session-crypto'
import type { NaclModule } from '../crypto/web-crypto'
import { loadNacl } from '../crypto/web-crypto'
import {
  decodeBase64url,
  decodeBase64urlText,
  encodeBase64url,
  fromUtf8,
  timingSafeEqualText,
  utf8,
} from '../encoding'
import { SessionError } from '../errors'
import type { Claims, OpenedToken, OpenResult, Protection, TokenParts } from './token'
import {
  isExpired,
  openNone,
  openVerified,
  parseSeconds,
  parseToken,
  protectNone,
  refuse,
  signedPart,
  splitToken,
  VERSION,
} from './token'

/*
 * The keyed protections of the v1 wire format: `signed` (HMAC-SHA256), `ed25519` and `sealed`
 * (XSalsa20-Poly1305). Every key is derived per purpose and per session; the session name is bound
 * into every tag and signature. Opening refuses (never throws for) anything malformed, forged, for
 * another session or expired. A protector may be wrapped in a cache of the tokens it opened
 * (`withTokenCache`).
 */

/** Core's portable base64url, for a `SessionCrypto` that brings no native one. */
const portableBase64url: Base64urlCodec = {
  encode: encodeBase64url,
  decode: decodeBase64url,
  encodeText: (text) => encodeBase64url(utf8(text)),
  decodeText: decodeBase64urlText,
}

/** Writes and reads the tokens of one session under one protection. */
export interface Protector {
  readonly protection: Protection
  protect(payload: string, claims: Claims): Awaitable<string>
  open(token: string, now: number): Awaitable<OpenResult>
  /** Ed25519 only: the public key of every ring key, base64url, by key id. */
  publicKeys?(): Promise<Record<string, string>>
}

export interface ProtectorOptions {
  readonly protection: Protection
  /** The session name: bound into every key and every tag. */
  readonly name: string
  readonly crypto: SessionCrypto
  /** Required for every protection but `none`. */
  readonly ring?: KeyRing | undefined
}

const NONCE_BYTES = 24
const SECRETBOX_OVERHEAD = 16

/** What each ring key becomes once derived and prepared for the protection. */
interface Prepared<TKey> {
  readonly id: string
  readonly key: TKey
}

/** The ring's keys once prepared: the newest writes, any verifies. */
interface ReadyRing<TKey> {
  readonly newest: Prepared<TKey>
  readonly byId: Map<string, Prepared<TKey>>
}

/**
 * Prepares the ring's keys once (HKDF and key import may be async); concurrent first calls share the
 * one preparation, and later calls get the prepared ring itself, without a promise.
 */
function preparedRing<TKey>(
  options: ProtectorOptions,
  prepare: (derived: Uint8Array) => Awaitable<TKey>,
): () => Awaitable<ReadyRing<TKey>> {
  const { ring, crypto, name, protection } = options
  if (!ring)
    throw new SessionError('INVALID_KEY', `session "${name}" is ${protection} and needs a secret or keys`)
  let ready: ReadyRing<TKey> | undefined
  let preparing: Promise<ReadyRing<TKey>> | undefined
  const prepareAll = async (): Promise<ReadyRing<TKey>> => {
    const keys = await Promise.all(
      ring.keys.map(async ({ id, secret }) => ({
        id,
        key: await prepare(await deriveKey(crypto, secret, protection as KeyPurpose, name)),
      })),
    )
    ready = { newest: keys[0]!, byId: new Map(keys.map((key) => [key.id, key])) }
    return ready
  }
  return () => {
    if (ready) return ready
    preparing ??= prepareAll()
    return preparing
  }
}

function createHmacProtector(options: ProtectorOptions): Protector {
  const keys = preparedRing<TagFunction>(options, (derived) => options.crypto.hmacSha256(derived))
  const bound = `${options.name}\u0000`
  const base64url: Base64urlCodec = options.crypto.base64url ?? portableBase64url

  // With a tag function that answers at once (node:crypto's), a token is signed and checked without
  // a promise or an async step, and so is the token cache around it. The engine's signed
  // read-modify-write through the build (a loop of 60,000 requests with node's crypto, alternating
  // runs on a noisy 2-core AMD EPYC VM, 2026-12-06): fastest of 12 runs 8.89 µs against 9.43 with
  // async functions here and in the cache, fastest of 14 runs 9.38 against 10.08.
  const sign = ({ newest }: ReadyRing<TagFunction>, payload: string, claims: Claims) => {
    const signed = `${VERSION}.s.${newest.id}.${claims.iat}.${claims.exp}.${base64url.encodeText(payload)}`
    return when(newest.key(bound + signed), (tag) => `${signed}.${tag}`)
  }
  const check = (ring: ReadyRing<TagFunction>, token: string, parts: TokenParts, now: number) => {
    const key = ring.byId.get(parts.kid)
    if (!key) return refuse('UNKNOWN_KEY')
    return when(key.key(bound + signedPart(token, parts)), (expected) =>
      timingSafeEqualText(expected, parts.tag)
        ? openVerified(parts, now, key !== ring.newest, base64url.decodeText)
        : refuse('SIGNATURE_INVALID'),
    )
  }
  return {
    protection: 'signed',
    protect: (payload, claims) => when(keys(), (ring) => sign(ring, payload, claims)),
    open(token, now) {
      const parts = parseToken(token, 'signed')
      if (typeof parts === 'string') return refuse(parts)
      return when(keys(), (ring) => check(ring, token, parts, now))
    },
  }
}

const SIGNATURE_BYTES = 64

/**
 * Opens Ed25519 tokens with nothing but public keys: what a browser holds. `newestKid` marks which
 * key is current, so tokens of older keys are reported stale; without it nothing is stale.
 *
 * @example
 * const opener = createEd25519Opener({ name: 'cart', verifierFor: (kid) => verifiers[kid] })
 * await opener.open(token, now) // { ok: true, payload, … } or { ok: false, reason }
 */
export function createEd25519Opener(options: {
  readonly name: string
  readonly verifierFor: (kid: string) => Awaitable<Ed25519Verify | undefined>
  readonly newestKid?: string | undefined
}): Pick<Protector, 'open'> {
  const bound = `${options.name}\u0000`
  return {
    async open(token, now) {
      const parts = parseToken(token, 'ed25519')
      if (typeof parts === 'string') return refuse(parts)
      const signature = decodeBase64url(parts.tag)
      if (signature?.length !== SIGNATURE_BYTES) return refuse('MALFORMED')
      const verify = await options.verifierFor(parts.kid)
      if (!verify) return refuse('UNKNOWN_KEY')
      if (!(await verify(bound + signedPart(token, parts), signature))) return refuse('SIGNATURE_INVALID')
      return openVerified(parts, now, options.newestKid !== undefined && parts.kid !== options.newestKid)
    },
  }
}

function createEd25519Protector(options: ProtectorOptions): Protector {
  const keys = preparedRing(options, async (seed) => {
    const signer = await options.crypto.ed25519Signer(seed)
    return { signer, verify: await options.crypto.ed25519Verifier(signer.publicKey) }
  })
  const bound = `${options.name}\u0000`
  const base64url: Base64urlCodec = options.crypto.base64url ?? portableBase64url
  const opener = createEd25519Opener({
    name: options.name,
    newestKid: options.ring?.keys[0]?.id,
    async verifierFor(kid) {
      return (await keys()).byId.get(kid)?.key.verify
    },
  })
  return {
    protection: 'ed25519',
    async protect(payload, { iat, exp }) {
      const { newest } = await keys()
      const signed = `${VERSION}.e.${newest.id}.${iat}.${exp}.${base64url.encodeText(payload)}`
      return `${signed}.${base64url.encode(await newest.key.signer.sign(bound + signed))}`
    },
    open: opener.open,
    async publicKeys() {
      const { byId } = await keys()
      return Object.fromEntries([...byId].map(([id, { key }]) => [id, encodeBase64url(key.signer.publicKey)]))
    },
  }
}

function createSealedProtector(options: ProtectorOptions): Protector {
  const keys = preparedRing(options, (key) => key)
  // Random nonces; fixed ones only through withSealingNonce, which no public entry exports.
  const nonce = sealingNonceOf(options) ?? (() => options.crypto.randomBytes(NONCE_BYTES))
  const base64url: Base64urlCodec = options.crypto.base64url ?? portableBase64url

  const seal = (
    { nacl }: NaclModule,
    { newest }: ReadyRing<Uint8Array>,
    payload: string,
    { iat, exp }: Claims,
  ) => {
    const iv = nonce()
    if (iv.length !== NONCE_BYTES)
      throw new SessionError('INVALID_OPTION', 'a sealing nonce must be 24 bytes')
    const box = nacl.secretbox(utf8(`${iat}.${exp}.${payload}`), iv, newest.key)
    const sealed = new Uint8Array(NONCE_BYTES + box.length)
    sealed.set(iv)
    sealed.set(box, NONCE_BYTES)
    return `${VERSION}.x.${newest.id}.${base64url.encode(sealed)}`
  }
  const unseal = (
    { nacl }: NaclModule,
    ring: ReadyRing<Uint8Array>,
    kid: string,
    sealed: Uint8Array,
    now: number,
  ) => {
    const key = ring.byId.get(kid)
    if (!key) return refuse('UNKNOWN_KEY')
    const opened = nacl.secretbox.open(sealed.subarray(NONCE_BYTES), sealed.subarray(0, NONCE_BYTES), key.key)
    if (!opened) return refuse('SIGNATURE_INVALID')
    const text = fromUtf8(opened)
    const first = text === null ? -1 : text.indexOf('.')
    const second = first < 0 ? -1 : text!.indexOf('.', first + 1)
    if (second < 0) return refuse('MALFORMED')
    const iat = parseSeconds(text!.slice(0, first))
    const exp = parseSeconds(text!.slice(first + 1, second))
    if (iat === null || exp === null) return refuse('MALFORMED')
    if (isExpired({ iat, exp }, now)) return refuse('EXPIRED')
    return { ok: true, payload: text!.slice(second + 1), iat, exp, kid, stale: key !== ring.newest } as const
  }
  return {
    protection: 'sealed',
    protect: async (payload, claims) => seal(await loadNacl(), await keys(), payload, claims),
    async open(token, now) {
      const split = splitToken(token, 'sealed')
      if (typeof split === 'string') return refuse(split)
      const [, , kid, boxText] = split as [string, string, string, string]
      const sealed = base64url.decode(boxText)
      if (kid === '' || !sealed || sealed.length < NONCE_BYTES + SECRETBOX_OVERHEAD)
        return refuse('MALFORMED')
      return unseal(await loadNacl(), await keys(), kid, sealed, now)
    },
  }
}

/**
 * Creates the protector of one session: it writes v1 tokens and opens them, refusing (never
 * throwing for) anything that is malformed, forged, for another session or expired.
 *
 * @example
 * const p = createProtector({ protection: 'signed', name: 'cart', crypto: webCrypto, ring: createKeyRing({ secret }) })
 * const token = await p.protect('{"json":1}', { iat: 0, exp: 0 })
 */
export function createProtector(options: ProtectorOptions): Protector {
  switch (options.protection) {
    case 'none':
      return { protection: 'none', protect: protectNone, open: openNone }
    case 'signed':
      return createHmacProtector(options)
    case 'ed25519':
      return createEd25519Protector(options)
    case 'sealed':
      return createSealedProtector(options)
    default:
      throw new SessionError('INVALID_OPTION', `unknown protection "${String(options.protection)}"`)
  }
}

/** How many tokens per session a cache remembers by default. */
export const DEFAULT_TOKEN_CACHE = 512

/**
 * Wraps an authenticating protector with a memory of the tokens it wrote or verified, so the token a
 * browser sends back (the one this process issued, or the same cookie on every read) is not verified
 * and decoded again. A remembered token is still refused once its `exp` has passed. A token maps to
 * one outcome for a given key ring, so remembering it changes no answer, only its cost. The memory is
 * bounded (oldest first out) and holds only authentic tokens: a forged one is verified every time.
 * Measured gain (`pnpm bench`, codec group's hot-path pair: engine signed read-modify-write against
 * `tokenCache: 0`, full runs on 2 cores, load average about 1): 1.46×, 7.7 µs saved per request on
 * an Intel Xeon; 1.32×, 2.3 µs on an AMD EPYC (2026-12-06).
 */
export function withTokenCache(protector: Protector, size: number): Protector {
  if (size <= 0 || protector.protection === 'none') return protector
  const known = new Map<string, OpenedToken>()
  const remember = (token: string, opened: OpenedToken) => {
    if (known.size >= size) known.delete(known.keys().next().value as string)
    known.set(token, opened)
  }
  const recall = (token: string, now: number): OpenResult | undefined => {
    const opened = known.get(token)
    if (opened === undefined) return undefined
    if (opened.exp !== 0 && now >= opened.exp) {
      known.delete(token)
      return { ok: false, reason: 'EXPIRED' }
    }
    return opened
  }
  return {
    ...protector,
    protect(payload: string, claims: Claims) {
      return when(protector.protect(payload, claims), (written) => {
        // The key id is the token's third part: `v1.<letter>.<kid>.…`.
        const kid = written.slice(5, written.indexOf('.', 5))
        remember(written, { ok: true, payload, iat: claims.iat, exp: claims.exp, kid, stale: false })
        return written
      })
    },
    open(token: string, now: number) {
      const recalled = recall(token, now)
      if (recalled) return recalled
      return when(protector.open(token, now), (opened) => {
        if (opened.ok) remember(token, opened)
        return opened
      })
    },
  }
}

/** The key of the nonce option that {@link withSealingNonce} sets: no typed option, JSON or environment spells it. */
const SEALING_NONCE: unique symbol = Symbol('tessera.sealingNonce')

/**
 * A copy of `options` (for `createProtector` or `createSessionEngine`) whose sealed tokens take their
 * 24-byte nonces from `nonce` instead of the runtime's random generator. For reproducing the v1 test
 * vectors and for tests only: two tokens sealed under one nonce and one key share a keystream, so
 * whoever holds both learns the XOR of their contents. Only the internal entry exports it.
 *
 * @example
 * const writer = createProtector(withSealingNonce({ protection: 'sealed', name: 'cart', crypto, ring }, () => nonce))
 */
export function withSealingNonce<TOptions extends object>(
  options: TOptions,
  nonce: () => Uint8Array,
): TOptions {
  return { ...options, [SEALING_NONCE]: nonce }
}

/** The nonce source that {@link withSealingNonce} put on `options`; undefined (random nonces) otherwise. */
export function sealingNonceOf(options: object): (() => Uint8Array) | undefined {
  return (options as { readonly [SEALING_NONCE]?: () => Uint8Array })[SEALING_NONCE]
}
