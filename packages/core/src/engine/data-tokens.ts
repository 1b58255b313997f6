/*
 * Sealed and signed data outside sessions (iron-session's sealData/unsealData): tokens for magic
 * links, email confirmation and password reset. The v1 data-token format is in docs/wire-format.md.
 * Every key is derived per purpose under labels no session key uses (`data-signed/<purpose>`,
 * `data-sealed/<purpose>`), so a session token never opens as a data token, nor one purpose's token
 * as another's.
 */

import type { SessionCodec } from '../codec'
import { superjsonCodec } from '../codec'
import type { KeyRing } from '../crypto/key-ring'
import { deriveKey } from '../crypto/key-ring'
import type { SessionCrypto, TagFunction } from '../crypto/session-crypto'
import { loadNacl } from '../crypto/web-crypto'
import type { Duration } from '../duration'
import { toSeconds } from '../duration'
import {
  decodeBase64url,
  decodeBase64urlText,
  encodeBase64url,
  fromUtf8,
  isBase64urlText,
  timingSafeEqualText,
  utf8,
} from '../encoding'
import { isSessionError, SessionError } from '../errors'
import { assertKnownOptions } from '../option-names'
import type { SessionStorage } from '../storage/session-storage'
import { sealingNonceOf } from '../wire/protector'
import { MAX_TOKEN_LENGTH, parseSeconds, VERSION } from '../wire/token'

/** Options of `engine.seal` and `engine.sign`. */
export interface DataTokenOptions {
  /**
   * What the token is for (`'password-reset'`, `'magic-link'`): 1 to 64 characters of
   * `A-Z a-z 0-9 _ - . :`. Bound into the key: a token opens only with the purpose it was made for.
   */
  readonly purpose: string
  /** How long the token stays valid, from now: seconds or a duration such as `'15m'`. */
  readonly expiresIn: Duration
  /**
   * Makes the token single-use: the first `unseal`/`verify` given a `storage` consumes it, any later
   * one fails with `TOKEN_USED`.
   * @default false
   */
  readonly oneTime?: boolean | undefined
  /** Turns the value into text. @default superjsonCodec */
  readonly codec?: SessionCodec<any> | undefined
}

/** Options of `engine.unseal` and `engine.verify`. */
export interface OpenDataTokenOptions {
  /** The purpose the token must have been made for. */
  readonly purpose: string
  /**
   * Records the use of one-time tokens (atomically, with the storage's compare-and-set): required to
   * open a one-time token (`INVALID_OPERATION` without it), ignored for others. Use a storage every
   * process shares (Redis, PostgreSQL) when several processes open tokens.
   */
  readonly storage?: SessionStorage | undefined
  /** Turns the text back into the value; the codec the token was made with. @default superjsonCodec */
  readonly codec?: SessionCodec<any> | undefined
}

/** The data-token methods of an engine. */
export interface DataTokens {
  /**
   * Seals a value (XSalsa20-Poly1305): unreadable and unforgeable without the secret, for one
   * purpose, until it expires. `INVALID_OPTION` for a bad purpose or expiry, `ENCODE_FAILED` for a
   * value the codec cannot write.
   *
   * @example const token = await engine.seal({ userId }, { purpose: 'password-reset', expiresIn: '30m', oneTime: true })
   */
  seal(value: unknown, options: DataTokenOptions): Promise<string>
  /**
   * Opens a token of {@link DataTokens.seal}. `TOKEN_INVALID` for a token that is malformed, forged,
   * of another purpose or another key; `TOKEN_EXPIRED` past its expiry; `TOKEN_USED` for a one-time
   * token already opened. The message never holds the token or the value.
   */
  unseal<T = unknown>(token: string, options: OpenDataTokenOptions): Promise<T>
  /**
   * Signs a value (HMAC-SHA256): readable by whoever holds the token, unforgeable without the secret.
   * The same options and errors as {@link DataTokens.seal}.
   */
  sign(value: unknown, options: DataTokenOptions): Promise<string>
  /** Checks and opens a token of {@link DataTokens.sign}; the errors of {@link DataTokens.unseal}. */
  verify<T = unknown>(token: string, options: OpenDataTokenOptions): Promise<T>
}

const PURPOSE = /^[A-Za-z0-9_.:-]{1,64}$/
const NONCE_BYTES = 24
const SECRETBOX_OVERHEAD = 16
/** Random bytes of a one-time token's id. */
const ONCE_BYTES = 16
/** The storage id a one-time token's use is recorded under. */
const usedId = (once: string) => `tessera-used_${once}`

/** The option names of {@link DataTokens.seal}/`sign`, and of `unseal`/`verify`; extend them here. */
const WRITE_OPTIONS = ['purpose', 'expiresIn', 'oneTime', 'codec']
const OPEN_OPTIONS = ['purpose', 'storage', 'codec']

/** What the data tokens need from their engine. */
export interface DataTokenParts {
  readonly crypto: SessionCrypto
  readonly ring: KeyRing | undefined
  /** The engine's options, where a test may have put fixed sealing nonces (`withSealingNonce`). */
  readonly options: object
  readonly nowSeconds: () => number
}

type Kind = 'data-signed' | 'data-sealed'

const invalid = () =>
  new SessionError('TOKEN_INVALID', 'the data token is malformed, forged, or for another purpose')
const expired = () => new SessionError('TOKEN_EXPIRED', 'the data token has expired')

function assertPurpose(purpose: unknown): asserts purpose is string {
  if (typeof purpose !== 'string' || !PURPOSE.test(purpose)) {
    throw new SessionError(
      'INVALID_OPTION',
      'a data token purpose must be 1 to 64 characters of A-Z a-z 0-9 _ - . :',
    )
  }
}

/** Makes an engine's data tokens over its crypto and key ring. */
export function createDataTokens(parts: DataTokenParts): DataTokens {
  const { crypto } = parts
  const base64url = {
    encode: crypto.base64url?.encode ?? encodeBase64url,
    decode: crypto.base64url?.decode ?? decodeBase64url,
  }
  const nonce = sealingNonceOf(parts.options) ?? (() => crypto.randomBytes(NONCE_BYTES))
  /** Derived keys by kind, purpose and key id: HKDF once per purpose. */
  const derived = new Map<string, Promise<Uint8Array>>()
  const tags = new Map<string, Promise<TagFunction>>()

  const ring = (): KeyRing => {
    if (!parts.ring)
      throw new SessionError('INVALID_KEY', 'data tokens need the engine to have a secret or keys')
    return parts.ring
  }
  const keyOf = (kind: Kind, purpose: string, kid: string): Promise<Uint8Array> | undefined => {
    const entry = ring().keys.find((key) => key.id === kid)
    if (!entry) return undefined
    const label = `${kind}/${purpose}/${kid}`
    let key = derived.get(label)
    if (!key) {
      key = Promise.resolve(deriveKey(crypto, entry.secret, kind, purpose))
      derived.set(label, key)
    }
    return key
  }
  const tagOf = (purpose: string, kid: string): Promise<TagFunction> | undefined => {
    const label = `${purpose}/${kid}`
    let tag = tags.get(label)
    if (!tag) {
      const key = keyOf('data-signed', purpose, kid)
      if (!key) return undefined
      tag = key.then((bytes) => crypto.hmacSha256(bytes))
      tags.set(label, tag)
    }
    return tag
  }

  /** The claims and payload text of a value to write. */
  async function prepare(value: unknown, options: DataTokenOptions) {
    assertKnownOptions(options, WRITE_OPTIONS, 'data token options')
    assertPurpose(options?.purpose)
    const lifetime = toSeconds(options.expiresIn, 'expiresIn')
    if (!(lifetime > 0)) throw new SessionError('INVALID_OPTION', 'a data token needs an expiresIn above 0')
    let payload: string
    try {
      payload = await (options.codec ?? superjsonCodec).encode(value)
    } catch (cause) {
      throw new SessionError('ENCODE_FAILED', 'the value of a data token could not be encoded', { cause })
    }
    const iat = parts.nowSeconds()
    const once = options.oneTime === true ? encodeBase64url(crypto.randomBytes(ONCE_BYTES)) : ''
    return { purpose: options.purpose, iat, exp: iat + lifetime, once, payload, kid: ring().keys[0]!.id }
  }

  /** Checks expiry and one-time use, then decodes: the last steps of unseal and verify. */
  async function accept(
    claims: { iat: number; exp: number; once: string; payload: string },
    options: OpenDataTokenOptions,
  ): Promise<any> {
    if (parts.nowSeconds() >= claims.exp) throw expired()
    let value: unknown
    try {
      value = await (options.codec ?? superjsonCodec).decode(claims.payload)
    } catch {
      throw invalid()
    }
    if (claims.once !== '') await consume(claims.once, claims.exp, options.storage)
    return value
  }

  /** Records the first use of a one-time token; `TOKEN_USED` when another use was recorded first. */
  async function consume(once: string, exp: number, storage: SessionStorage | undefined): Promise<void> {
    if (!storage) {
      throw new SessionError(
        'INVALID_OPERATION',
        'a one-time data token opens only with a storage that records its use',
      )
    }
    const ttl = Math.max(1, exp - parts.nowSeconds()) * 1000
    let version: number | null
    try {
      // Compare-and-set on "no entry yet": of concurrent first uses, exactly one writes.
      version = await storage.write(usedId(once), 'used', { ttl, expectedVersion: null })
    } catch (cause) {
      if (isSessionError(cause)) throw cause
      throw new SessionError('STORAGE_UNAVAILABLE', 'data token: the storage failed', { cause })
    }
    if (version === null) throw new SessionError('TOKEN_USED', 'the one-time data token was already used')
  }

  const openOptions = (options: OpenDataTokenOptions) => {
    assertKnownOptions(options, OPEN_OPTIONS, 'data token options')
    assertPurpose(options?.purpose)
  }

  return {
    async sign(value, options) {
      const { purpose, iat, exp, once, payload, kid } = await prepare(value, options)
      const signed = `${VERSION}.ds.${kid}.${iat}.${exp}.${once}.${base64url.encode(utf8(payload))}`
      const tag = await (await tagOf(purpose, kid))!(`${purpose}\u0000${signed}`)
      return `${signed}.${tag}`
    },
    async verify(token, options) {
      openOptions(options)
      const split = typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH ? token.split('.') : []
      if (split.length !== 8 || split[0] !== VERSION || split[1] !== 'ds') throw invalid()
      const [, , kid, iatText, expText, once, body, tag] = split as [string, ...string[]] as string[]
      const iat = parseSeconds(iatText)
      const exp = parseSeconds(expText)
      const tagFunction = tagOf(options.purpose, kid!)
      if (
        iat === null ||
        exp === null ||
        !tagFunction ||
        !isBase64urlText(body!) ||
        !isBase64urlText(once!)
      ) {
        throw invalid()
      }
      const expected = await (await tagFunction)(
        `${options.purpose}\u0000${token.slice(0, token.length - tag!.length - 1)}`,
      )
      if (!timingSafeEqualText(expected, tag!)) throw invalid()
      const payload = decodeBase64urlText(body!)
      if (payload === null) throw invalid()
      return accept({ iat, exp, once: once!, payload }, options)
    },
    async seal(value, options) {
      const { purpose, iat, exp, once, payload, kid } = await prepare(value, options)
      const [{ nacl }, key] = await Promise.all([loadNacl(), keyOf('data-sealed', purpose, kid)!])
      const iv = nonce()
      if (iv.length !== NONCE_BYTES)
        throw new SessionError('INVALID_OPTION', 'a sealing nonce must be 24 bytes')
      const box = nacl.secretbox(utf8(`${iat}.${exp}.${once}.${payload}`), iv, key)
      const sealed = new Uint8Array(NONCE_BYTES + box.length)
      sealed.set(iv)
      sealed.set(box, NONCE_BYTES)
      return `${VERSION}.dx.${kid}.${base64url.encode(sealed)}`
    },
    async unseal(token, options) {
      openOptions(options)
      const split = typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH ? token.split('.') : []
      if (split.length !== 4 || split[0] !== VERSION || split[1] !== 'dx') throw invalid()
      const sealed = base64url.decode(split[3]!)
      const key = keyOf('data-sealed', options.purpose, split[2]!)
      if (!sealed || !key || sealed.length < NONCE_BYTES + SECRETBOX_OVERHEAD) throw invalid()
      const [{ nacl }, bytes] = await Promise.all([loadNacl(), key])
      const opened = nacl.secretbox.open(sealed.subarray(NONCE_BYTES), sealed.subarray(0, NONCE_BYTES), bytes)
      const text = opened && fromUtf8(opened)
      const match = text ? /^(0|[1-9][0-9]{0,11})\.(0|[1-9][0-9]{0,11})\.([A-Za-z0-9_-]*)\./.exec(text) : null
      if (!text || !match) throw invalid()
      const payload = text.slice(match[0].length)
      return accept({ iat: Number(match[1]), exp: Number(match[2]), once: match[3]!, payload }, options)
    },
  }
}
