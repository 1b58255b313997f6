import type { InvalidSessionEvent } from '@tessera/core'

/** What the browser client made of a session's token. */
export interface BrowserRead<T = unknown> {
  /** The token read. */
  readonly token: string | null
  /** The verified, schema-checked value, or null. */
  readonly value: T | null
  /** Why the client refused the token (its `onInvalid` reason), when it did. */
  readonly reason: string | null
}

/**
 * Remembers why the browser client refused each token: its `onInvalid` hook says which session and
 * why, once per token (a token is verified once and cached), so the reason is kept with the token.
 *
 * @example
 * const reasons = createRefusalMemo()
 * const client = createSessionClient({ sessions, onInvalid: reasons.onInvalid })
 */
export function createRefusalMemo() {
  const latest = new Map<string, string>()
  const byToken = new Map<string, { token: string; reason: string }>()
  return {
    onInvalid(event: InvalidSessionEvent): void {
      latest.set(event.session, event.reason)
    },
    /** Runs a read of `session`'s `token` and returns the refusal reason it caused or had caused. */
    async read<T>(
      session: string,
      token: string | null,
      get: () => Promise<T | null>,
    ): Promise<BrowserRead<T>> {
      latest.delete(session)
      const value = await get()
      const reason = latest.get(session)
      if (reason !== undefined && token !== null) byToken.set(session, { token, reason })
      const remembered = byToken.get(session)
      return { token, value, reason: remembered && remembered.token === token ? remembered.reason : null }
    },
  }
}

/** The memo {@link createRefusalMemo} makes. */
export type RefusalMemo = ReturnType<typeof createRefusalMemo>
