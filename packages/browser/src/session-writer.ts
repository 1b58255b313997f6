import type { Claims, ClientKit } from '@tessera/core'
import type { ClientEntry, ClientState } from './client-state'

/*
 * Writes of browser-owned sessions (`protection: 'none'`). The client imports this module on the first
 * `set` or `clear` (with core's client kit), and js-cookie (./cookie-writer) only when that write is a
 * cookie's.
 */

/** Claims as the server computes them: the session keeps its start; expiry from the idle and absolute limits. */
function claimsFor(kit: ClientKit, entry: ClientEntry, start: number | undefined, now: number): Claims {
  // The engine's own conversion of the descriptor's expiry.
  const { idle, absolute } = kit.expirySeconds(entry.descriptor)
  const iat = start ?? now
  const exp = Math.min(idle === null ? Infinity : now + idle, absolute === null ? Infinity : iat + absolute)
  return { iat, exp: exp === Infinity ? 0 : exp }
}

/** The value checked by the schema (`INVALID_VALUE` with the number of issues) and encoded (`ENCODE_FAILED`). */
async function encode(kit: ClientKit, entry: ClientEntry, value: unknown): Promise<[unknown, string]> {
  const { name, descriptor } = entry
  const fail = (code: 'INVALID_VALUE' | 'ENCODE_FAILED', problem: string, cause?: unknown): never => {
    throw new kit.SessionError(code, `session "${name}": ${problem}`, { cause, session: name })
  }
  if (value === null || value === undefined) fail('INVALID_VALUE', 'set needs a value; use clear to end it')
  let checked = value
  if (descriptor.schema) {
    const result = await descriptor.schema['~standard'].validate(value)
    if (result.issues) {
      const count = result.issues.length
      fail('INVALID_VALUE', `the value fails the schema (${count} issue${count === 1 ? '' : 's'})`)
    } else checked = result.value
  }
  try {
    return [checked, await descriptor.codec.encode(checked, { untrusted: true })]
  } catch (cause) {
    // The cause keeps the error's kind only: its message could quote the value.
    return fail(
      'ENCODE_FAILED',
      `the ${descriptor.codec.name} codec cannot encode the value`,
      cause instanceof Error ? new Error(cause.name) : undefined,
    )
  }
}

/**
 * Creates or replaces a browser-owned session: schema-checked (`INVALID_VALUE`), encoded, written as a
 * v1 `none` token into its cookie or header store. A session that is already running keeps its start,
 * so an absolute lifetime holds across writes.
 */
export async function writeSession(state: ClientState, entry: ClientEntry, value: unknown): Promise<void> {
  const kit = await state.kit()
  const [checked, text] = await encode(kit, entry, value)
  const running = (await state.read(entry)) !== null
  const now = state.nowSeconds()
  const claims = claimsFor(kit, entry, running ? entry.iat : undefined, now)
  const token = kit.protectNone(text, claims)
  if (entry.store) entry.store.set(entry.name, token)
  else (await import('./cookie-writer')).writeCookieToken(kit, entry, { token, claims, now })
  state.commit(entry, token, { value: checked, ...claims })
}

/** Ends a browser-owned session, or forgets a header session's token. */
export async function clearSession(state: ClientState, entry: ClientEntry): Promise<void> {
  if (entry.store) entry.store.delete(entry.name)
  else (await import('./cookie-writer')).removeCookie(await state.kit(), entry)
  state.commit(entry, undefined, null)
}
