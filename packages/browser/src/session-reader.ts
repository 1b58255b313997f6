import type { CookieEncoding, InvalidReason, InvalidSessionEvent } from '@tessera/core'
import type { OpenResult, Protector } from '@tessera/core/internal'
import {
  createEd25519Opener,
  createEd25519Verifier,
  decodeBase64url,
  decodeCookieValue,
  openNone,
  readCookies,
  readValue,
} from '@tessera/core/internal'
import type { ClientEntry, ClientState, ReadSession, SessionReading } from './client-state'
import { currentValue, notify } from './client-state'

/*
 * The read path, which is all a page that only reads loads: the tokens the browser holds, opened with
 * core's parser and verifier, then decoded and checked by core's session rules (the server's own).
 * The client caches a read by the token's text; `readSession` (./read-session) reads one cookie
 * session with the same functions.
 */

/** Separates the values of several cookies of one name in `raw` (a cookie value cannot hold it). */
const SEPARATOR = ';'

/**
 * The values of every cookie of that name this page sees now, in the order the browser gives them
 * (a longer path first), joined by `;`: one value when one cookie is set.
 */
export function cookieValue(name: string): string | undefined {
  const values = readCookies(globalThis.document?.cookie, name).filter(Boolean)
  return values.length === 0 ? undefined : values.join(SEPARATOR)
}

/**
 * The tokens of a cookie session as this page sees them, in order, each decoded from the cookie
 * encoding (a value that does not decode is kept as is: it then fails to open).
 */
function cookieTokens(raw: string, encoding: CookieEncoding): string[] {
  return raw.split(SEPARATOR).map((value) => decodeCookieValue(value, encoding) ?? value)
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

/** Opens one token; a verifier that could not run (no WebCrypto and no tweetnacl) proves nothing. */
async function open(reading: SessionReading, token: string, now: number): Promise<OpenResult> {
  try {
    return reading.descriptor.protection === 'none'
      ? openNone(token, now)
      : await ed25519Opener(reading).open(token, now)
  } catch {
    return { ok: false, reason: 'SIGNATURE_INVALID' }
  }
}

/**
 * Reads a session from the tokens the browser holds for it at `now` (unix seconds): the first that
 * opens, decodes and passes the schema is the session, as on the server (of several cookies of one
 * name, a tossed one does not hide the user's own); null, and `onInvalid` told why the first one was
 * refused, when none does.
 */
export async function openTokens(
  reading: SessionReading,
  tokens: readonly string[],
  now: number,
  onInvalid: ((event: InvalidSessionEvent) => void) | undefined,
): Promise<ReadSession | null> {
  let refused: InvalidReason | undefined
  for (const token of tokens) {
    const opened = await open(reading, token, now)
    const read = opened.ok ? await readValue(reading.descriptor, opened.payload) : opened
    if (read.ok && opened.ok) return { value: read.value, iat: opened.iat, exp: opened.exp }
    refused ??= read.ok ? undefined : read.reason
  }
  if (refused !== undefined) onInvalid?.({ session: reading.name, reason: refused })
  return null
}

/** What the browser holds for a client's session now: its header store entry, or its cookie values. */
function readRaw(entry: ClientEntry): string | undefined {
  return entry.store ? entry.store.get(entry.name) : cookieValue(entry.name)
}

/** The tokens in what the browser holds for a session. */
export function tokensOf(raw: string, encoding: CookieEncoding | undefined, cookie: boolean): string[] {
  return cookie ? cookieTokens(raw, encoding ?? 'raw') : [raw]
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
  if (changed && subscribed) notify(state, entry)
  if (changed && (known || subscribed)) state.changed(entry, { tell: subscribed, announce: !!known })
}

/**
 * The session's value for the token the browser holds now. The same token as last time returns the
 * cached value without verifying again; concurrent reads of one token share one verification.
 */
export function resolve(state: ClientState, entry: ClientEntry): Promise<unknown> {
  // Keys given by URL are fetched before the first read of a server-signed (Ed25519) session; a
  // failure rejects this read, and the next one fetches again.
  if (!entry.keys && state.keysFor && entry.descriptor.protection === 'ed25519') {
    return state.keysFor(entry).then(() => resolve(state, entry))
  }
  const raw = readRaw(entry)
  const current = () => currentValue(entry, state.nowSeconds())
  if (entry.settled && raw === entry.raw) return Promise.resolve(current())
  if (entry.reading && entry.reading.raw === raw) return entry.reading.promise
  const promise: Promise<unknown> = (
    raw === undefined || !entry.readable
      ? Promise.resolve(null)
      : openTokens(
          entry,
          tokensOf(raw, entry.cookie?.encoding, !entry.store),
          state.nowSeconds(),
          state.onInvalid,
        )
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
