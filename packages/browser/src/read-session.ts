import type { AnySessionDescriptor, CookieEncoding, InvalidSessionEvent, SessionValue } from '@tessera/core'
import { SessionError } from '@tessera/core'
import { checkPublicKeys, isReadable } from '@tessera/core/internal'
import type { ReadSession } from './client-state'
import { currentValue } from './client-state'
import type { ReadableSession } from './client-types'
import { cookieValue, openTokens, tokensOf } from './session-reader'

/** Options of {@link readSession}. */
export interface ReadSessionOptions {
  /** Ed25519 public keys by key id, when the descriptor carries none. */
  readonly publicKeys?: Readonly<Record<string, string>> | undefined
  /** How the server writes the token into the cookie. @default 'raw' */
  readonly encoding?: CookieEncoding | undefined
  /** Told why a cookie that is present reads as null (tampered, expired, fails the schema...). */
  readonly onInvalid?: ((event: InvalidSessionEvent) => void) | undefined
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined
}

/** The last token read of each session, the keys it was read with, and its reading (shared by concurrent calls). */
const lastRead = new WeakMap<
  AnySessionDescriptor,
  { readonly raw: string; readonly keys: string; readonly read: Promise<ReadSession | null> }
>()

/**
 * Reads one client-visible cookie session, without a client: the cookie's token verified with the
 * session's public keys, decoded, checked for expiry and by the schema, as `client.get` does. The
 * value of a token is cached until the cookie changes. For a page that only shows a session (who is
 * signed in, say), this is the smallest way to read it; `createSessionClient` adds writing, header
 * sessions on `fetch` and change events.
 *
 * Refuses (`INVALID_OPERATION`) a session the browser cannot read or that travels in a header, and
 * (`INVALID_KEY`) an Ed25519 session without its public keys.
 *
 * @example
 * const profile = await readSession(Profile) // Profile's value, or null
 */
export async function readSession<TDescriptor extends ReadableSession & { readonly transport: 'cookie' }>(
  descriptor: TDescriptor,
  options: ReadSessionOptions = {},
): Promise<SessionValue<TDescriptor> | null> {
  const { name } = descriptor
  const keys = options.publicKeys ?? descriptor.publicKeys
  if (descriptor.transport !== 'cookie' || !isReadable(descriptor)) {
    throw new SessionError('INVALID_OPERATION', `session "${name}" is not a client-visible cookie session`, {
      session: name,
    })
  }
  if (descriptor.protection === 'ed25519') checkPublicKeys(name, keys)
  const now = () => Math.floor((options.now ?? Date.now)() / 1000)
  const raw = cookieValue(name)
  if (!raw) return null
  // Keys compared by content: a literal passed anew on each call still finds the cached reading.
  const keyText = `${options.encoding ?? 'raw'} ${JSON.stringify(keys)}`
  let last = lastRead.get(descriptor)
  if (last?.raw !== raw || last.keys !== keyText) {
    const read = openTokens(
      { descriptor, name, keys },
      tokensOf(raw, options.encoding, true),
      now(),
      options.onInvalid,
    )
    last = { raw, keys: keyText, read }
    lastRead.set(descriptor, last)
    // A reading that failed (an onInvalid hook that threw) is not kept: the next call tries again.
    read.catch(() => lastRead.get(descriptor) === last && lastRead.delete(descriptor))
  }
  return currentValue(await last.read, now()) as SessionValue<TDescriptor> | null
}
