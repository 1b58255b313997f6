import type { Claims } from '@tessera/core'
import type { ClientEntry, ClientState } from './client-state'

/*
 * Writes of browser-owned sessions (`protection: 'none'`). The client imports this module on the first
 * `set` or `clear`, and js-cookie (./cookie-writer) only when that write is a cookie's.
 */

/** Claims as the server computes them: the session keeps its start; expiry from the idle and absolute limits. */
function claimsFor(state: ClientState, entry: ClientEntry, start: number | undefined, now: number): Claims {
  // The engine's own check and conversion of the descriptor's expiry.
  const { idle, absolute } = state.core.checkDescriptor(entry.descriptor)
  const iat = start ?? now
  const exp = Math.min(idle === null ? Infinity : now + idle, absolute === null ? Infinity : iat + absolute)
  return { iat, exp: exp === Infinity ? 0 : exp }
}

async function encode(state: ClientState, entry: ClientEntry, value: unknown): Promise<string> {
  try {
    return await entry.descriptor.codec.encode(value)
  } catch (cause) {
    throw new state.core.SessionError(
      'ENCODE_FAILED',
      `session "${entry.name}": the ${entry.descriptor.codec.name} codec cannot encode the value`,
      { cause: cause instanceof Error ? new Error(cause.name) : undefined, session: entry.name },
    )
  }
}

/**
 * Creates or replaces a browser-owned session: schema-checked (`INVALID_VALUE`), encoded, written as a
 * v1 `none` token into its cookie or header store. A session that is already running keeps its start,
 * so an absolute lifetime holds across writes.
 */
export async function writeSession(state: ClientState, entry: ClientEntry, value: unknown): Promise<void> {
  const { SessionError, validateWith, protectNone } = state.core
  if (value === null || value === undefined) {
    throw new SessionError(
      'INVALID_VALUE',
      `session "${entry.name}": set needs a value; use clear to end it`,
      {
        session: entry.name,
      },
    )
  }
  let checked = value
  if (entry.descriptor.schema) {
    const outcome = await validateWith(entry.descriptor.schema, value)
    if (!outcome.ok) {
      const count = outcome.issues.length
      throw new SessionError(
        'INVALID_VALUE',
        `session "${entry.name}": the value fails the schema (${count} issue${count === 1 ? '' : 's'})`,
        { session: entry.name },
      )
    }
    checked = outcome.value
  }
  const text = await encode(state, entry, checked)
  const running = (await state.read(entry)) !== null
  const now = state.nowSeconds()
  const claims = claimsFor(state, entry, running ? entry.iat : undefined, now)
  const token = protectNone(text, claims)
  if (entry.store) entry.store.set(entry.name, token)
  else (await import('./cookie-writer')).writeCookieToken(state, entry, { token, claims, now })
  state.commit(entry, token, { value: checked, ...claims })
}

/** Ends a browser-owned session, or forgets a header session's token. */
export async function clearSession(state: ClientState, entry: ClientEntry): Promise<void> {
  if (entry.store) entry.store.delete(entry.name)
  else (await import('./cookie-writer')).removeCookie(state, entry)
  state.commit(entry, undefined, null)
}
