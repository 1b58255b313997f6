import { SessionError } from '@tessera/core'

/** A cookie as Next's `cookies().set(options)` takes it (its `ResponseCookie`). */
export interface NextCookie {
  name: string
  value: string
  path?: string
  domain?: string
  maxAge?: number
  expires?: Date
  httpOnly?: boolean
  secure?: boolean
  sameSite?: 'lax' | 'strict' | 'none'
  partitioned?: boolean
  priority?: 'low' | 'medium' | 'high'
}

const SAME_SITE = new Set(['lax', 'strict', 'none'])
const PRIORITY = new Set(['low', 'medium', 'high'])

/** Reads one `name=value` attribute of a Set-Cookie line into `cookie`; false for one Next cannot set. */
function readAttribute(cookie: NextCookie, attribute: string): boolean {
  const equals = attribute.indexOf('=')
  const key = (equals < 0 ? attribute : attribute.slice(0, equals)).trim().toLowerCase()
  const value = equals < 0 ? '' : attribute.slice(equals + 1).trim()
  const lower = value.toLowerCase()
  switch (key) {
    case 'path':
      cookie.path = value
      return true
    case 'domain':
      cookie.domain = value
      return true
    case 'max-age':
      cookie.maxAge = Number(value)
      return Number.isInteger(cookie.maxAge)
    case 'expires':
      cookie.expires = new Date(value)
      return !Number.isNaN(cookie.expires.getTime())
    case 'httponly':
      cookie.httpOnly = true
      return true
    case 'secure':
      cookie.secure = true
      return true
    case 'partitioned':
      cookie.partitioned = true
      return true
    case 'samesite':
      cookie.sameSite = lower as NextCookie['sameSite']
      return SAME_SITE.has(lower)
    case 'priority':
      cookie.priority = lower as NextCookie['priority']
      return PRIORITY.has(lower)
    default:
      return false
  }
}

/**
 * The Set-Cookie line the engine wrote, as the options of Next's `cookies().set`. Next percent-encodes
 * the value it is given, so the line's value is decoded first (a token is base64url: nothing changes).
 * An attribute Next cannot set (a custom extension) is `SessionError('UNSUPPORTED')`: dropping it
 * would write a different cookie than the one configured.
 */
export function nextCookieOf(line: string): NextCookie {
  const [pair = '', ...attributes] = line.split(';')
  const equals = pair.indexOf('=')
  const name = pair.slice(0, equals).trim()
  const raw = pair.slice(equals + 1).trim()
  const cookie: NextCookie = { name, value: raw.includes('%') ? decodeURIComponent(raw) : raw }
  for (const attribute of attributes) {
    if (attribute.trim() === '') continue
    if (!readAttribute(cookie, attribute)) {
      const key = attribute.split('=')[0]!.trim()
      throw new SessionError(
        'UNSUPPORTED',
        `cookie "${name}": Next's cookies() cannot set the attribute "${key}"; remove it from the session's options`,
      )
    }
  }
  return cookie
}
