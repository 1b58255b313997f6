import type { InvalidReason, OpenResult, Protector } from '@tessera/core'
import {
  createEd25519Opener,
  createEd25519Verifier,
  decodeBase64url,
  decodeCookieValue,
  openNone,
  readCookie,
} from '@tessera/core'
import type { ClientEntry, ClientState, ReadSession } from './client-state'
import { currentValue } from './client-state'

/*
 * The read path, which is all a page that only reads loads: the token the browser holds, opened with
 * core's parser and verifier, decoded, checked by the schema, cached by the token's text.
 */

/** The named cookie's value as this page sees it now (as sent, before the cookie encoding is undone). */
export function cookieValue(name: string): string | undefined {
  return readCookie(globalThis.document?.cookie, name)
}

/**
 * The token the browser holds for a session now: its header store entry, or its cookie (read with
 * core's cookie parser, as the server reads it, then decoded from the cookie encoding). A value that
 * does not decode is kept as is: it then fails to open, and reads as absent.
 */
function readToken(entry: ClientEntry): string | undefined {
  if (entry.store) return entry.store.get(entry.name)
  const value = cookieValue(entry.name)
  return value ? (decodeCookieValue(value, entry.cookie?.encoding ?? 'raw') ?? value) : undefined
}

/**
 * Opens an entry's Ed25519 tokens with its public keys. A key is imported for each new token (a
 * token is verified once, then cached by its text); WebCrypto verifies, and tweetnacl is loaded
 * only where it cannot.
 */
function ed25519Opener(entry: ClientEntry): Pick<Protector, 'open'> {
  const keys = entry.keys!
  entry.opener ??= createEd25519Opener({
    name: entry.name,
    verifierFor: (kid) =>
      Object.hasOwn(keys, kid) ? createEd25519Verifier(decodeBase64url(keys[kid]!)!) : undefined,
  })
  return entry.opener
}

/** Opens, decodes and validates a token; null (and `onInvalid` told why) for anything but a valid session. */
async function openToken(state: ClientState, entry: ClientEntry, token: string): Promise<ReadSession | null> {
  const invalid = (reason: InvalidReason): null => {
    state.onInvalid?.({ session: entry.name, reason })
    return null
  }
  const { codec, protection, schema } = entry.descriptor
  const now = state.nowSeconds()
  let opened: OpenResult
  let value: unknown
  try {
    opened = protection === 'none' ? openNone(token, now) : await ed25519Opener(entry).open(token, now)
  } catch {
    // A verifier that could not run (no WebCrypto and no tweetnacl) proves nothing.
    return invalid('SIGNATURE_INVALID')
  }
  if (!opened.ok) return invalid(opened.reason)
  try {
    value = await codec.decode(opened.payload)
  } catch {
    return invalid('DECODE_FAILED')
  }
  if (schema) {
    // Standard Schema: sync or async, any thenable.
    const result = await schema['~standard'].validate(value)
    if (result.issues) return invalid('SCHEMA_FAILED')
    value = result.value
  }
  return value == null ? invalid('DECODE_FAILED') : { value, iat: opened.iat, exp: opened.exp }
}

/** Longest delay `setTimeout` honours (about 24.8 days); later expiries are seen by the next read. */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Records what was read and tells subscribers when the visible value changed (other tabs too, when
 * it was known before), and when it expires.
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
  // Subscribers hear when the value expires, so a hook re-renders to null on time.
  clearTimeout(entry.expiryTimer)
  const delay = ((read?.exp ?? 0) - state.nowSeconds()) * 1000
  if (read?.exp && delay > 0 && delay <= MAX_TIMER_MS) {
    entry.expiryTimer = setTimeout(() => state.notify(entry), delay)
    // A client running under Node (tests, SSR) must not keep the process alive for a session's expiry.
    ;(entry.expiryTimer as { unref?: () => void }).unref?.()
  }
  if (!changed) return
  state.notify(entry)
  // The first look at a session is no news to other tabs; a change is.
  if (known) state.announce(entry)
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
    raw === undefined || !entry.readable ? Promise.resolve(null) : openToken(state, entry, raw)
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
