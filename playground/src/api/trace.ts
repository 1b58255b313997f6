import type { InvalidSessionEvent } from '@tessera/core'

/**
 * A response header the playground adds to every API response so the page can show what happened
 * on the way: why an incoming session was refused, and which cookies and session headers were
 * written. A real app sends nothing of the kind (it would hand HttpOnly tokens to scripts).
 */
export const TRACE_HEADER = 'x-playground-trace'

/** One cookie a response wrote. */
export interface CookieWrite {
  readonly name: string
  /** The new token, or null when the response cleared the cookie. */
  readonly value: string | null
  /** The Set-Cookie line as it traveled, where it could be seen (not in offline mode). */
  readonly line?: string | undefined
}

/** What one API response did to the sessions. */
export interface ResponseTrace {
  /** Sessions the engine read as absent during the request, and why. */
  readonly invalid: readonly InvalidSessionEvent[]
  readonly cookies: readonly CookieWrite[]
  /** Session headers the response set (`login`: a token, or `cleared`). */
  readonly headers: Readonly<Record<string, string>>
}

/** JSON with everything outside printable ASCII escaped, so it is a valid header value. */
export function encodeTrace(trace: ResponseTrace): string {
  return JSON.stringify(trace).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The trace of a response, or null when it carries none (or a malformed one). */
export function decodeTrace(text: string | null): ResponseTrace | null {
  if (!text) return null
  try {
    const trace = JSON.parse(text) as ResponseTrace
    return Array.isArray(trace.invalid) && Array.isArray(trace.cookies) ? trace : null
  } catch {
    return null
  }
}

/** The cookies Set-Cookie lines write: a token, or null for a line that removes the cookie. */
export function cookieWrites(lines: readonly string[]): CookieWrite[] {
  return lines.map((line) => {
    const [pair = '', ...attributes] = line.split(';')
    const at = pair.indexOf('=')
    const name = pair.slice(0, at).trim()
    const value = pair.slice(at + 1).trim()
    const removes = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute))
    return { name, value: value === '' || removes ? null : value, line }
  })
}
