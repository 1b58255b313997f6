import {
  assertCookieFits,
  cookieMaxAge,
  decodeCookieValue,
  encodeCookieValue,
  MAX_COOKIE_BYTES,
  readCookies,
  serializeCookie,
} from '../cookie'
import { SessionError } from '../errors'
import type { Binding } from './binding'
import type { SessionIO } from './session-io'
import { HEADER_CLEARED } from './session-io'

/**
 * Reading and writing tokens on the wire: one header, or one cookie, or (with chunking) a cookie
 * `name` holding `<count>~<first part>` followed by cookies `name.1` … `name.<count-1>`.
 */

const CHUNK_MARKER = /^([2-9]|[1-9][0-9])~/

/** Room left in each chunk cookie for the name, the index and the marker. */
const chunkCapacity = (name: string) => MAX_COOKIE_BYTES - name.length - 8

/** The cookie that carries chunk `index` (1 and up) of a chunked session. */
const chunkName = (name: string, index: number) => `${name}.${index}`

/**
 * Refuses (`DUPLICATE`) a cookie session named like a chunk of a chunked one (`cart.1` beside `cart`
 * with chunking): each would overwrite and clear the other's cookie.
 */
export function assertChunkNamesFree(bindings: readonly Binding[]): void {
  const cookieNames = new Set(bindings.filter((binding) => binding.cookie).map((binding) => binding.name))
  for (const { name, cookie } of bindings) {
    for (let i = 1; i < (cookie?.maxChunks ?? 1); i++) {
      const chunk = chunkName(name, i)
      if (!cookieNames.has(chunk)) continue
      throw new SessionError(
        'DUPLICATE',
        `cookie "${chunk}" has the name of chunk ${i} of the chunked cookie "${name}"; rename one, or lower its chunking.maxChunks`,
        { session: chunk },
      )
    }
  }
}

/** A token as the request carried it. */
export interface IncomingToken {
  /** '' when the cookie could not be decoded; undefined for a chunked token that lost a cookie. */
  readonly token: string | undefined
  /** How many cookies carried it (1 unless chunked, the count its head names when chunked; 0 for headers). */
  readonly chunks: number
}

/** What the request carried for a session. */
export interface Incoming {
  /** Its tokens in the order sent: one, or for a cookie one per cookie of the session's name. */
  readonly tokens: readonly IncomingToken[]
  /**
   * More than one cookie of one of the session's names came (another path, a parent domain: cookie
   * tossing). A deletion would reach only the cookie of the configured path and domain, maybe the
   * user's own rather than the tossed one, so the engine then clears nothing by itself.
   */
  readonly several: boolean
}

/**
 * The tokens a request carries for a session; undefined when it carries none. Each cookie of the
 * session's name is one token, or the head of a chunked one; a chunked token is joined from the first
 * cookie of each chunk name (`name.1`, …). One scan of the Cookie header when the name appears once.
 */
export function readIncoming(binding: Binding, io: SessionIO): Incoming | undefined {
  const cookie = binding.cookie
  if (!cookie) {
    const value = io.requestHeader(binding.headerKey)
    return value === undefined || value === '' || value === HEADER_CLEARED
      ? undefined
      : { tokens: [{ token: value, chunks: 0 }], several: false }
  }
  const header = io.requestHeader('cookie')
  const heads = readCookies(header, binding.name)
  let several = heads.length > 1
  const tokens: IncomingToken[] = []
  for (const head of heads) {
    if (head === '') continue
    const marker = cookie.maxChunks > 1 ? CHUNK_MARKER.exec(head) : null
    const chunks = marker ? Number(marker[1]) : 1
    // A count over the bound is not a token of this session: refused, and only its own cookie cleared.
    if (chunks > cookie.maxChunks) {
      tokens.push({ token: '', chunks: 1 })
      continue
    }
    let value: string | undefined = marker ? head.slice(marker[0].length) : head
    for (let i = 1; i < chunks && value !== undefined; i++) {
      const parts = readCookies(header, chunkName(binding.name, i))
      if (parts.length > 1) several = true
      value = parts[0] ? value + parts[0] : undefined
    }
    tokens.push({
      token: value === undefined ? undefined : (decodeCookieValue(value, cookie.encoding) ?? ''),
      chunks,
    })
  }
  return tokens.length === 0 ? undefined : { tokens, several }
}

/** The most cookies any incoming token took (1 at least): the chunk cookies a write or clear ends. */
export function incomingChunks(incoming: Incoming | undefined): number {
  let most = 1
  for (const { chunks } of incoming?.tokens ?? []) most = Math.max(most, chunks)
  return most
}

/**
 * Checks, when a token is issued, that its cookie fits: one cookie of at most 4096 bytes, or with
 * chunking at most `maxChunks` of them. Throws `TOO_LARGE` otherwise.
 */
export function assertFits(binding: Binding, token: string): void {
  const cookie = binding.cookie
  if (!cookie) return
  const value = encodeCookieValue(token, cookie.encoding)
  if (cookie.maxChunks === 1) {
    assertCookieFits(binding.name, value, '; store it server-side, make it smaller or enable chunking')
    return
  }
  if (binding.name.length + 1 + value.length <= MAX_COOKIE_BYTES) return
  const needed = Math.ceil(value.length / chunkCapacity(binding.name))
  if (needed <= cookie.maxChunks) return
  throw new SessionError(
    'TOO_LARGE',
    `session "${binding.name}": the cookie would need ${needed} chunks, over maxChunks ${cookie.maxChunks}`,
    { session: binding.name },
  )
}

/**
 * What a session's pending write needs: the token (null to clear), its expiry, whether that is the
 * end of a lifetime of its own (which the cookie follows, whatever its `maxAge`), the chunks that came.
 */
export interface Outgoing {
  readonly pending: string | null | undefined
  readonly exp: number
  readonly end: number | undefined
  readonly incomingChunks: number
}

/** Applies a session's pending write to the response: Set-Cookie lines, or the header. */
export function writeOutgoing(binding: Binding, state: Outgoing, io: SessionIO, now: number): void {
  const cookie = binding.cookie
  if (!cookie) {
    io.setHeader(binding.headerKey, state.pending ?? HEADER_CLEARED)
    if (binding.exposeHeader && io.requestHeader('origin') !== undefined) {
      io.appendHeader('access-control-expose-headers', binding.name)
    }
    return
  }
  const secure = io.isSecure()
  const clear = (name: string) =>
    io.appendHeader('set-cookie', serializeCookie(name, '', cookie.attributes, { maxAge: 0, now, secure }))
  let written = 0
  if (state.pending === null) {
    clear(binding.name)
  } else {
    const maxAge = cookieMaxAge(state.end === undefined ? cookie.maxAge : undefined, state.exp, now)
    const value = encodeCookieValue(state.pending!, cookie.encoding)
    const parts = splitValue(binding.name, value)
    for (let i = 0; i < parts.length; i++) {
      const name = i === 0 ? binding.name : chunkName(binding.name, i)
      const part = i === 0 && parts.length > 1 ? `${parts.length}~${parts[0]}` : parts[i]!
      io.appendHeader('set-cookie', serializeCookie(name, part, cookie.attributes, { maxAge, now, secure }))
    }
    written = parts.length
  }
  const leftover = Math.min(state.incomingChunks, cookie.maxChunks)
  for (let i = Math.max(written, 1); i < leftover; i++) clear(chunkName(binding.name, i))
}

function splitValue(name: string, value: string): string[] {
  if (name.length + 1 + value.length <= MAX_COOKIE_BYTES) return [value]
  const size = chunkCapacity(name)
  const parts: string[] = []
  for (let at = 0; at < value.length; at += size) parts.push(value.slice(at, at + size))
  return parts
}
