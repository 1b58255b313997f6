import type { InvalidReason, OpenResult, Protector } from '@tessera/core'
import {
  createEd25519Opener,
  createEd25519Verifier,
  decodeBase64url,
  decodeCookieValue,
  openNone,
  readCookie,
  validateWith,
} from '@tessera/core'
import type { ChangeMessage } from './change-channel'
import type { ClientEntry, ClientState } from './client-state'
import { currentValue } from './client-state'

/** A token that opened, decoded and passed the schema. */
export interface ReadSession {
  readonly value: unknown
  readonly iat: number
  readonly exp: number
}

const ED25519_PUBLIC_KEY_BYTES = 32

/**
 * The token the browser holds for a session now: its header store entry, or its cookie (read with
 * core's cookie parser, as the server reads it, then decoded from the cookie encoding). A value that
 * does not decode is kept as is: it then fails to open, and reads as absent.
 */
export function readToken(entry: ClientEntry): string | undefined {
  if (entry.store) return entry.store.get(entry.name)
  const value = readCookie(globalThis.document?.cookie, entry.name)
  return value ? (decodeCookieValue(value, entry.cookie?.encoding ?? 'raw') ?? value) : undefined
}

/**
 * Opens an Ed25519 token with the public keys of the descriptor (or, failing that, of the client).
 * Each key is imported once; WebCrypto verifies, and tweetnacl is loaded only where it cannot.
 */
function ed25519Opener(state: ClientState, entry: ClientEntry): Pick<Protector, 'open'> {
  const keys = entry.descriptor.publicKeys ?? state.publicKeys?.[entry.name] ?? {}
  const { verifiers } = entry
  entry.opener ??= createEd25519Opener({
    name: entry.name,
    verifierFor(kid) {
      let verifier = verifiers.get(kid)
      if (!verifier) {
        const bytes = Object.hasOwn(keys, kid) ? decodeBase64url(keys[kid]!) : null
        verifier =
          bytes?.length === ED25519_PUBLIC_KEY_BYTES
            ? createEd25519Verifier(bytes)
            : Promise.resolve(undefined)
        // A verifier that could not be prepared (tweetnacl failed to load) is tried again next time.
        verifier.catch(() => verifiers.delete(kid))
        verifiers.set(kid, verifier)
      }
      return verifier
    },
  })
  return entry.opener
}

/** Opens, decodes and validates a token; null (and `onInvalid` told why) for anything but a valid session. */
async function openToken(state: ClientState, entry: ClientEntry, token: string): Promise<ReadSession | null> {
  const invalid = (reason: InvalidReason): null => {
    state.onInvalid?.({ session: entry.name, reason })
    return null
  }
  const { descriptor } = entry
  const now = state.nowSeconds()
  let opened: OpenResult
  try {
    opened =
      descriptor.protection === 'none'
        ? openNone(token, now)
        : await ed25519Opener(state, entry).open(token, now)
  } catch {
    // A verifier that could not run (no WebCrypto and no tweetnacl) proves nothing.
    return invalid('SIGNATURE_INVALID')
  }
  if (!opened.ok) return invalid(opened.reason)
  let value: unknown
  try {
    value = await descriptor.codec.decode(opened.payload)
  } catch {
    return invalid('DECODE_FAILED')
  }
  if (descriptor.schema) {
    const outcome = await validateWith(descriptor.schema, value)
    if (!outcome.ok) return invalid('SCHEMA_FAILED')
    value = outcome.value
  }
  if (value == null) return invalid('DECODE_FAILED')
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
  if (wasSettled) state.channel()?.postMessage({ session: entry.name } satisfies ChangeMessage)
}

/** Longest delay `setTimeout` honours (about 24.8 days); later expiries are seen by the next read. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Tells subscribers when the cached value expires, so a hook re-renders to null on time. */
function scheduleExpiry(state: ClientState, entry: ClientEntry): void {
  clearTimeout(entry.expiryTimer)
  entry.expiryTimer = undefined
  const delay = (entry.exp - state.nowSeconds()) * 1000
  if (entry.exp === 0 || entry.value === null || delay <= 0 || delay > MAX_TIMER_MS) return
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
