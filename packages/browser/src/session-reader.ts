import type { Ed25519Verify, InvalidReason, OpenResult, Protector } from '@tessera/core'
import { createEd25519Opener, decodeBase64url, validateWith, webCrypto } from '@tessera/core'
import { announce } from './change-channel'
import type { ClientEntry, ClientState } from './client-state'
import { currentValue } from './client-state'
import { readCookieToken } from './cookie-jar'
import { openNone } from './none-token'

/** A token that opened, decoded and passed the schema. */
export interface ReadSession {
  readonly value: unknown
  readonly iat: number
  readonly exp: number
}

const openers = new WeakMap<ClientEntry, Pick<Protector, 'open'>>()
const ED25519_PUBLIC_KEY_BYTES = 32

/** The token the browser holds for a session now: its cookie, or its header store entry. */
export function readToken(entry: ClientEntry): string | undefined {
  return entry.store ? entry.store.get(entry.name) : readCookieToken(entry.name, entry.cookie)
}

/**
 * Opens an Ed25519 token with the public keys of the descriptor (or, failing that, of the client).
 * Each key is imported once; WebCrypto verifies, and tweetnacl is loaded only where it lacks Ed25519.
 */
function ed25519Opener(state: ClientState, entry: ClientEntry): Pick<Protector, 'open'> {
  let opener = openers.get(entry)
  if (opener) return opener
  const keys = entry.descriptor.publicKeys ?? state.publicKeys?.[entry.name] ?? {}
  const verifiers = new Map<string, Promise<Ed25519Verify | undefined>>()
  opener = createEd25519Opener({
    name: entry.name,
    verifierFor(kid) {
      let verifier = verifiers.get(kid)
      if (!verifier) {
        const bytes = Object.hasOwn(keys, kid) ? decodeBase64url(keys[kid]!) : null
        verifier =
          bytes?.length === ED25519_PUBLIC_KEY_BYTES
            ? Promise.resolve(webCrypto.ed25519Verifier(bytes))
            : Promise.resolve(undefined)
        verifiers.set(kid, verifier)
      }
      return verifier
    },
  })
  openers.set(entry, opener)
  return opener
}

/** Opens, decodes and validates a token; null (and `onInvalid` told why) for anything but a valid session. */
async function openToken(state: ClientState, entry: ClientEntry, token: string): Promise<ReadSession | null> {
  const invalid = (reason: InvalidReason): null => {
    state.onInvalid?.({ session: entry.name, reason })
    return null
  }
  const now = state.nowSeconds()
  let opened: OpenResult
  try {
    opened =
      entry.descriptor.protection === 'none'
        ? openNone(token, now)
        : await ed25519Opener(state, entry).open(token, now)
  } catch {
    // A verifier that could not run (no WebCrypto and no tweetnacl) proves nothing.
    return invalid('SIGNATURE_INVALID')
  }
  if (!opened.ok) return invalid(opened.reason)
  let value: unknown
  try {
    value = await entry.descriptor.codec.decode(opened.payload)
  } catch {
    return invalid('DECODE_FAILED')
  }
  if (entry.descriptor.schema) {
    const outcome = await validateWith(entry.descriptor.schema, value)
    if (!outcome.ok) return invalid('SCHEMA_FAILED')
    value = outcome.value
  }
  if (value === null || value === undefined) return invalid('DECODE_FAILED')
  return { value, iat: opened.iat, exp: opened.exp }
}

/** Records what was read and tells subscribers when the visible value changed. */
export function commit(
  state: ClientState,
  entry: ClientEntry,
  raw: string | undefined,
  read: ReadSession | null,
): void {
  const wasSettled = entry.settled
  const before = wasSettled ? currentValue(entry, state.nowSeconds()) : null
  // A readable session changes when its visible value does; an opaque header token when it does.
  const changed = entry.readable
    ? (!wasSettled || raw !== entry.raw) && (before !== null || read !== null)
    : raw !== entry.raw
  entry.raw = raw
  entry.settled = true
  entry.value = read?.value ?? null
  entry.iat = read?.iat ?? 0
  entry.exp = read?.exp ?? 0
  scheduleExpiry(state, entry)
  if (!changed) return
  state.notify(entry)
  // The first look at a session is no news to other tabs; a change is.
  if (wasSettled) announce(state, entry)
}

/** Longest delay `setTimeout` honours (about 24.8 days); later expiries are seen by the next read. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Tells subscribers when the cached value expires, so a hook re-renders to null on time. */
function scheduleExpiry(state: ClientState, entry: ClientEntry): void {
  clearTimeout(entry.expiryTimer)
  entry.expiryTimer = undefined
  if (entry.exp === 0 || entry.value === null) return
  const delay = (entry.exp - state.nowSeconds()) * 1000
  if (delay <= 0 || delay > MAX_TIMER_MS) return
  const timer = setTimeout(() => state.notify(entry), delay)
  ;(timer as { unref?: () => void }).unref?.()
  entry.expiryTimer = timer
}

/**
 * The session's value for the token the browser holds now. The same token as last time returns the
 * cached value without verifying again; concurrent reads of one token share one verification.
 */
export function resolve(state: ClientState, entry: ClientEntry, raw = readToken(entry)): Promise<unknown> {
  if (entry.settled && raw === entry.raw) return Promise.resolve(currentValue(entry, state.nowSeconds()))
  if (entry.reading && entry.reading.raw === raw) return entry.reading.promise
  const opening = raw === undefined || !entry.readable ? Promise.resolve(null) : openToken(state, entry, raw)
  const promise: Promise<unknown> = opening.then((read): unknown => {
    // A newer token arrived while this one was verified: that read decides.
    if (entry.reading?.promise !== promise)
      return entry.reading?.promise ?? currentValue(entry, state.nowSeconds())
    entry.reading = undefined
    commit(state, entry, raw, read)
    return currentValue(entry, state.nowSeconds())
  })
  entry.reading = { raw, promise }
  return promise
}
