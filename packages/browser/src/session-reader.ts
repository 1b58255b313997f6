import type {
  AnySessionDescriptor,
  CookieEncoding,
  InvalidReason,
  InvalidSessionEvent,
  OpenResult,
  Protector,
  StandardSchemaV1,
} from '@tessera/core'
import {
  createEd25519Opener,
  createEd25519Verifier,
  decodeBase64url,
  decodeCookieValue,
  openNone,
  readCookie,
  SessionError,
} from '@tessera/core'
import type { ClientEntry, ClientState, ReadSession } from './client-state'
import { currentValue } from './client-state'

const ED25519_PUBLIC_KEY_BYTES = 32

/*
 * The read path, which is all a page that only reads loads: the token the browser holds, opened with
 * core's parser and verifier, decoded, checked by the schema. The client caches it by the token's
 * text (below); `readSession` (./read-session) reads one cookie session with the same functions.
 */

/** What opening a session's token needs: its descriptor and public keys, and the opener made on first use. */
export interface SessionReading {
  readonly descriptor: AnySessionDescriptor
  readonly name: string
  /** Ed25519 sessions: the public keys by key id. */
  readonly keys: Readonly<Record<string, string>> | undefined
  opener?: Pick<Protector, 'open'>
}

/**
 * True when the browser can read the session: the whole value travels, the browser may see it, and
 * it is either verifiable with a public key or the browser's own. The server checks the rest when it
 * registers the session.
 */
export const isReadable = ({ storage, visibility, protection }: AnySessionDescriptor): boolean =>
  storage === 'client' && visibility === 'client' && (protection === 'ed25519' || protection === 'none')

/** Refuses (`INVALID_KEY`) Ed25519 public keys that are missing, or not 32 bytes of base64url each. */
export function assertPublicKeys(name: string, keys: Readonly<Record<string, string>> | undefined): void {
  const values = Object.values(keys ?? {})
  if (!values.length || !values.every((key) => decodeBase64url(key)?.length === ED25519_PUBLIC_KEY_BYTES)) {
    throw new SessionError(
      'INVALID_KEY',
      `session "${name}" needs its Ed25519 public keys, 32 bytes of base64url each (publicKeys)`,
      { session: name },
    )
  }
}

/** The named cookie's value as this page sees it now (as sent, before the cookie encoding is undone). */
export function cookieValue(name: string): string | undefined {
  return readCookie(globalThis.document?.cookie, name)
}

/**
 * The token in a session's cookie: read with core's cookie parser, as the server reads it, then
 * decoded from the cookie encoding. A value that does not decode is kept as is: it then fails to
 * open, and reads as absent.
 */
export function cookieToken(name: string, encoding: CookieEncoding = 'raw'): string | undefined {
  const value = cookieValue(name)
  return value ? (decodeCookieValue(value, encoding) ?? value) : undefined
}

/**
 * Opens an Ed25519 session's tokens with its public keys. A key is imported for each new token (a
 * token is verified once, then cached by its text); WebCrypto verifies, and tweetnacl is loaded
 * only where it cannot.
 */
function ed25519Opener(reading: SessionReading): Pick<Protector, 'open'> {
  const keys = reading.keys!
  reading.opener ??= createEd25519Opener({
    name: reading.name,
    verifierFor: (kid) =>
      Object.hasOwn(keys, kid) ? createEd25519Verifier(decodeBase64url(keys[kid]!)!) : undefined,
  })
  return reading.opener
}

/**
 * Opens, decodes and validates a token at `now` (unix seconds); null (and `onInvalid` told why) for
 * anything but a valid session, a schema that throws on the value included (`SCHEMA_FAILED`).
 */
export async function openToken(
  reading: SessionReading,
  token: string,
  now: number,
  onInvalid: ((event: InvalidSessionEvent) => void) | undefined,
): Promise<ReadSession | null> {
  const invalid = (reason: InvalidReason): null => {
    onInvalid?.({ session: reading.name, reason })
    return null
  }
  const { codec, protection, schema } = reading.descriptor
  let opened: OpenResult
  let value: unknown
  try {
    opened = protection === 'none' ? openNone(token, now) : await ed25519Opener(reading).open(token, now)
  } catch {
    // A verifier that could not run (no WebCrypto and no tweetnacl) proves nothing.
    return invalid('SIGNATURE_INVALID')
  }
  if (!opened.ok) return invalid(opened.reason)
  try {
    value = await codec.decode(opened.payload, { untrusted: protection === 'none' })
  } catch {
    return invalid('DECODE_FAILED')
  }
  if (schema) {
    let result: StandardSchemaV1.Result<unknown>
    try {
      // Standard Schema: sync or async, any thenable.
      result = await schema['~standard'].validate(value)
    } catch {
      // A schema that throws on a hostile value refuses it, as the server's engine reads it.
      return invalid('SCHEMA_FAILED')
    }
    if (result.issues) return invalid('SCHEMA_FAILED')
    value = result.value
  }
  return value == null ? invalid('DECODE_FAILED') : { value, iat: opened.iat, exp: opened.exp }
}

/** The token the browser holds for a client's session now: its header store entry, or its cookie. */
function readToken(entry: ClientEntry): string | undefined {
  return entry.store ? entry.store.get(entry.name) : cookieToken(entry.name, entry.cookie?.encoding)
}

/**
 * Records what was read. When the visible value changed, the watching part (loaded with the first
 * subscriber, or now) tells the subscribers, and the other tabs when it was known before.
 */
export function commit(
  state: ClientState,
  entry: ClientEntry,
  raw: string | undefined,
  read: ReadSession | null,
): void {
  const known = entry.settled
  const before = known ? currentValue(entry, state.nowSeconds()) : null
  // A readable session changes when its visible value does; an opaque header token when it does.
  const changed = entry.readable
    ? (!known || raw !== entry.raw) && (before !== null || read !== null)
    : raw !== entry.raw
  entry.raw = raw
  entry.settled = true
  entry.value = read?.value
  entry.iat = read?.iat
  entry.exp = read?.exp
  // Those subscribed now hear of the change (not one that subscribes while the watching part loads:
  // it reads the value itself); other tabs hear of a change, not of the first look at a session.
  const subscribed = entry.listeners.size > 0
  if (changed && (known || subscribed)) state.changed(entry, { tell: subscribed, announce: !!known })
}

/**
 * The session's value for the token the browser holds now. The same token as last time returns the
 * cached value without verifying again; concurrent reads of one token share one verification.
 */
export function resolve(state: ClientState, entry: ClientEntry): Promise<unknown> {
  const raw = readToken(entry)
  const current = () => currentValue(entry, state.nowSeconds())
  if (entry.settled && raw === entry.raw) return Promise.resolve(current())
  if (entry.reading && entry.reading.raw === raw) return entry.reading.promise
  const promise: Promise<unknown> = (
    raw === undefined || !entry.readable
      ? Promise.resolve(null)
      : openToken(entry, raw, state.nowSeconds(), state.onInvalid)
  ).then((read): unknown => {
    // A newer token arrived while this one was verified: that read decides.
    if (entry.reading?.promise !== promise) return entry.reading?.promise ?? current()
    entry.reading = undefined
    commit(state, entry, raw, read)
    return current()
  })
  entry.reading = { raw, promise }
  return promise
}
