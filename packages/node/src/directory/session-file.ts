/**
 * The file of one directory-stored session: a JSON header line with the bookkeeping, then the
 * codec's text untouched (no second escaping of a JSON value):
 *
 *     {"tessera":1,"version":3,"expiresAt":1767225600000,"owner":"user-42"}\n<data>
 *
 * `expiresAt` is unix milliseconds, 0 for never; `owner` is absent when the session has none.
 */
export interface SessionFile {
  readonly version: number
  readonly expiresAt: number
  readonly owner: string | undefined
  readonly data: string
}

/** Format marker and number of the header line. */
const FORMAT = 1

/** The text of a session file. */
export function encodeSessionFile(file: SessionFile): string {
  const header =
    file.owner === undefined
      ? { tessera: FORMAT, version: file.version, expiresAt: file.expiresAt }
      : { tessera: FORMAT, version: file.version, expiresAt: file.expiresAt, owner: file.owner }
  return `${JSON.stringify(header)}\n${file.data}`
}

/** The parsed file, or undefined when it is not a session file of this format (corrupt, foreign). */
export function decodeSessionFile(text: string): SessionFile | undefined {
  const newline = text.indexOf('\n')
  if (newline < 0) return undefined
  let header: unknown
  try {
    header = JSON.parse(text.slice(0, newline))
  } catch {
    return undefined
  }
  if (typeof header !== 'object' || header === null) return undefined
  const { tessera, version, expiresAt, owner } = header as Record<string, unknown>
  if (tessera !== FORMAT || !Number.isSafeInteger(version) || (version as number) < 1) return undefined
  if (!Number.isSafeInteger(expiresAt) || (expiresAt as number) < 0) return undefined
  if (owner !== undefined && typeof owner !== 'string') return undefined
  return { version: version as number, expiresAt: expiresAt as number, owner, data: text.slice(newline + 1) }
}

/** True when the file's session has expired at `now` (unix milliseconds). */
export function isExpired(file: SessionFile, now: number): boolean {
  return file.expiresAt !== 0 && file.expiresAt <= now
}
