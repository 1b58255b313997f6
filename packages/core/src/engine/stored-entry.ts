import { InvalidReason } from '../errors'
import type { Binding } from './binding'

/*
 * What the engine keeps in a storage's `data` for a server-stored session: one JSON line with what
 * the session's lifetime needs, then the codec's text untouched.
 *
 *     {"tessera":"entry/1","iat":1800000000}\n{"json":{"user":"ada"}}
 *
 * The storage holds it as an opaque string, so every storage keeps its contract and its schema. What
 * lifetime needs comes from here, never from the token, which a `none` session's client can rewrite.
 * Later fields (last seen, a per-session lifetime, metadata the app attaches) are more keys on the line.
 */

/** Format marker of the line; a reader refuses a format it does not know. */
const ENTRY_FORMAT = 'entry/1'
/** How every entry written by the engine begins; data that does not is of the older shape. */
const ENTRY_START = '{"tessera":"entry/'

/** A stored session as the engine reads it back. */
export interface StoredEntry {
  /** When the session began (unix seconds): its absolute limit counts from here. */
  readonly iat: number
  /** The codec's text of the value. */
  readonly text: string
}

/** The `data` to store for a session that began at `iat` and holds the codec's `text`. */
export function writeEntry({ iat, text }: StoredEntry): string {
  return `${JSON.stringify({ tessera: ENTRY_FORMAT, iat })}\n${text}`
}

/**
 * Reads a stored entry: the start and the codec's text, or why the session cannot be used.
 * `DECODE_FAILED` for data this engine cannot read; `EXPIRED` once the absolute limit, counted from
 * the stored start, has passed, whatever the token claims.
 *
 * An entry of the older shape (the codec's text alone, written before entries had a line of their
 * own) has no start: it takes the token's where the token's claims are signed, and the next write
 * records it. A `none` token's claims are the client's to rewrite, so such an entry is refused.
 */
export function readEntry(
  binding: Binding,
  data: string,
  token: { readonly iat: number },
  now: number,
): StoredEntry | InvalidReason {
  const entry = data.startsWith(ENTRY_START)
    ? parseEntry(data)
    : binding.descriptor.protection === 'signed'
      ? { iat: token.iat, text: data }
      : undefined
  if (entry === undefined) return InvalidReason.DECODE_FAILED
  if (binding.absolute !== null && now >= entry.iat + binding.absolute) return InvalidReason.EXPIRED
  return entry
}

/** Just the codec's text of a stored entry (of either shape); undefined when it cannot be read. */
export function entryText(data: string): string | undefined {
  return data.startsWith(ENTRY_START) ? parseEntry(data)?.text : data
}

function parseEntry(data: string): StoredEntry | undefined {
  const newline = data.indexOf('\n')
  if (newline < 0) return undefined
  let line: unknown
  try {
    line = JSON.parse(data.slice(0, newline))
  } catch {
    return undefined
  }
  const { tessera, iat } = (line ?? {}) as Record<string, unknown>
  if (tessera !== ENTRY_FORMAT || !Number.isSafeInteger(iat) || (iat as number) < 0) return undefined
  return { iat: iat as number, text: data.slice(newline + 1) }
}
