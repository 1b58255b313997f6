import type { Awaitable } from './awaitable'
import { isPromiseLike } from './awaitable'
import type { CodecContext } from './codec'
import type { AnySessionDescriptor, ExpirySeconds } from './descriptor'
import type { Duration } from './duration'
import { toSeconds } from './duration'
import type { InvalidReason } from './errors'
import { SessionError } from './errors'
import type { SchemaOutcome } from './standard-schema'
import { validateWith } from './standard-schema'
import type { Claims, OpenResult } from './wire/token'

/*
 * The rules of a session that the server's engine and the browser client both follow, written once:
 * the claims a token is written with, checking and encoding a value to write, the transformers, and
 * reading a value (open -> transformers -> decode -> schema). Pure functions of the descriptor and
 * their inputs.
 */

/**
 * Claims for a token written at `now`: the session keeps its start (`start`, or now for a new one);
 * it expires after the idle limit from now or the absolute limit from its start, whichever is first;
 * `exp` 0 when neither limit is on.
 *
 * @example sessionClaims({ idle: 3600, absolute: null }, undefined, now) // { iat: now, exp: now + 3600 }
 */
export function sessionClaims(expiry: ExpirySeconds, start: number | undefined, now: number): Claims {
  const iat = start ?? now
  const exp = Math.min(
    expiry.idle === null ? Number.POSITIVE_INFINITY : now + expiry.idle,
    expiry.absolute === null ? Number.POSITIVE_INFINITY : iat + expiry.absolute,
  )
  return { iat, exp: exp === Number.POSITIVE_INFINITY ? 0 : exp }
}

/**
 * The fixed end (unix seconds) of a client-stored session that was given its own lifetime
 * (`set(D, value, { maxAge })`), read from its claims; undefined for one that follows the
 * descriptor's expiry. The claims tell them apart without a field of their own: a token written by
 * the descriptor's rules expires no later than those rules allow now (`now + idle`, `iat + absolute`)
 * and no sooner than its start plus the shorter limit, so a token outside that range has its own end.
 * A minute of clock skew between servers is allowed on either side (a tenth of the shorter limit
 * when that is under ten minutes). Once a longer own lifetime is within the idle time of its end it
 * reads as the descriptor's, and use renews it as one.
 *
 * @example ownEnd({ idle: 3600, absolute: null }, { iat: now, exp: now + 30 * 86_400 }, now) // now + 30 days
 */
export function ownEnd(expiry: ExpirySeconds, claims: Claims, now: number): number | undefined {
  if (claims.exp === 0) return undefined
  const allowed = sessionClaims(expiry, claims.iat, now).exp
  if (allowed === 0 || claims.exp > allowed + CLOCK_SKEW) return claims.exp
  const shortest = Math.min(
    expiry.idle ?? Number.POSITIVE_INFINITY,
    expiry.absolute ?? Number.POSITIVE_INFINITY,
  )
  const skew = Math.min(CLOCK_SKEW, Math.floor(shortest / 10))
  return claims.exp - claims.iat < shortest - skew ? claims.exp : undefined
}

/** Seconds two servers' clocks may disagree before a token reads as having its own lifetime. */
const CLOCK_SKEW = 60

/**
 * The end (unix seconds) a lifetime given to one session sets: `maxAge` from `now`, or `expiresAt`.
 * `INVALID_OPTION` naming the session for both at once, a duration that does not parse, or an end
 * that is not a valid date in the future.
 */
export function lifetimeEnd(
  name: string,
  lifetime: { readonly maxAge?: Duration | undefined; readonly expiresAt?: Date | undefined },
  now: number,
): number | undefined {
  const { maxAge, expiresAt } = lifetime
  const fail = (rule: string): never => {
    throw new SessionError('INVALID_OPTION', `session "${name}": ${rule}`, { session: name })
  }
  if (maxAge !== undefined && expiresAt !== undefined) fail('give set a maxAge or an expiresAt, not both')
  if (maxAge !== undefined) {
    const seconds = toSeconds(maxAge, 'set maxAge', name)
    if (seconds === 0) fail('set maxAge must be more than 0 (use clear to end the session)')
    return now + seconds
  }
  if (expiresAt === undefined) return undefined
  const end = expiresAt instanceof Date ? Math.floor(expiresAt.getTime() / 1000) : Number.NaN
  if (!(end > now) || end >= 10 ** 12) fail('set expiresAt must be a Date in the future')
  return end
}

/**
 * How a session's codec is told about its text: untrusted for a browser-owned session (`none`,
 * client-stored), whose payload no key checks; a server-stored session's text comes from its storage.
 */
export const codecContext = ({ protection, storage }: AnySessionDescriptor): CodecContext =>
  protection === 'none' && storage === 'client' ? UNTRUSTED : TRUSTED

const UNTRUSTED: CodecContext = Object.freeze({ untrusted: true })
const TRUSTED: CodecContext = Object.freeze({ untrusted: false })

/**
 * Refuses null and undefined (`INVALID_VALUE`): `set` creates or replaces, `clear` ends (Ktor's
 * `set(null)` trap).
 */
export function assertValue(
  name: string,
  value: unknown,
  what = 'set needs a value; use clear to end it',
): void {
  if (value === null || value === undefined) {
    throw new SessionError('INVALID_VALUE', `session "${name}": ${what}`, { session: name })
  }
}

/**
 * A value about to be written, checked: not null (`INVALID_VALUE`), and valid against the
 * descriptor's schema (the schema's output is what is written). A schema that refuses it or throws
 * is `INVALID_VALUE`: the value is the app's, so is the error, which keeps only the name of what the
 * schema threw as `cause` (its message may quote the value).
 *
 * @example const checked = await checkValue(Cart, { items: [] })
 */
export async function checkValue(descriptor: AnySessionDescriptor, value: unknown): Promise<unknown> {
  const { name, schema } = descriptor
  assertValue(name, value)
  if (!schema) return value
  let outcome: SchemaOutcome<unknown>
  try {
    outcome = await validateWith(schema, value)
  } catch (cause) {
    throw new SessionError('INVALID_VALUE', `session "${name}": the schema threw on the value`, {
      cause: new Error(cause instanceof Error ? cause.name : 'error'),
      session: name,
    })
  }
  if (outcome.ok) return outcome.value
  const count = outcome.issues.length
  throw new SessionError(
    'INVALID_VALUE',
    `session "${name}": the value fails the schema (${count} issue${count === 1 ? '' : 's'})`,
    { session: name },
  )
}

/**
 * Encodes a value with the session's codec (told whether its text is untrusted); `ENCODE_FAILED`,
 * naming the codec and never the value, when it cannot. Synchronous when the codec is.
 *
 * @example const text = await encodeValue(Cart, checked)
 */
export function encodeValue(descriptor: AnySessionDescriptor, value: unknown): Awaitable<string> {
  const { name, codec } = descriptor
  const refuse = (cause: unknown): never => {
    throw new SessionError(
      'ENCODE_FAILED',
      `session "${name}": the ${codec.name} codec cannot encode the value`,
      {
        cause: cause instanceof Error ? new Error(cause.name) : undefined,
        session: name,
      },
    )
  }
  try {
    const text = codec.encode(value, codecContext(descriptor))
    return isPromiseLike(text) ? Promise.resolve(text).then(undefined, refuse) : text
  } catch (cause) {
    return refuse(cause)
  }
}

/** A value read, or why the session reads as absent. */
export type ReadValue =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: InvalidReason }

/**
 * Reads a session's value from its codec text: decoded (`DECODE_FAILED` when the codec throws or
 * gives null or undefined), then checked by the schema (`SCHEMA_FAILED` when it refuses the value or
 * throws on it: a hostile value is bad input, never an exception).
 *
 * @example const read = await readValue(Cart, text) // { ok: true, value } or { ok: false, reason }
 */
export async function readValue(descriptor: AnySessionDescriptor, text: string): Promise<ReadValue> {
  let value: unknown
  try {
    const decoded = descriptor.codec.decode(text, codecContext(descriptor))
    value = isPromiseLike(decoded) ? await decoded : decoded
  } catch {
    return { ok: false, reason: 'DECODE_FAILED' }
  }
  if (value === undefined || value === null) return { ok: false, reason: 'DECODE_FAILED' }
  if (!descriptor.schema) return { ok: true, value }
  try {
    const outcome = await validateWith(descriptor.schema, value)
    return outcome.ok ? { ok: true, value: outcome.value } : { ok: false, reason: 'SCHEMA_FAILED' }
  } catch {
    return { ok: false, reason: 'SCHEMA_FAILED' }
  }
}

/**
 * A step between the encoded value and the wire, as Ktor's transformers: `write` runs in order when a
 * session is written, `read` in reverse order when it is read. `read` returns null (or throws) to
 * refuse a value, which then reads as absent.
 *
 * For client-stored sessions the text is the codec's output; for server-stored sessions it is the id.
 *
 * @example
 * const reverse: SessionTransformer = { write: (t) => [...t].reverse().join(''), read: (t) => [...t].reverse().join('') }
 */
export interface SessionTransformer {
  write(text: string): Awaitable<string>
  read(text: string): Awaitable<string | null>
}

/** Applies `write` of each transformer in order. */
export async function transformWrite(
  transformers: readonly SessionTransformer[],
  text: string,
): Promise<string> {
  let out = text
  for (const transformer of transformers) out = await transformer.write(out)
  return out
}

/** Applies `read` of each transformer in reverse order; null as soon as one refuses or throws. */
export async function transformRead(
  transformers: readonly SessionTransformer[],
  text: string,
): Promise<string | null> {
  let out: string | null = text
  try {
    for (let i = transformers.length - 1; i >= 0 && out !== null; i--) out = await transformers[i]!.read(out)
  } catch {
    return null
  }
  return typeof out === 'string' ? out : null
}

/**
 * Opens a token and undoes the transformers (in reverse order): the payload and claims, or why not
 * (`TRANSFORM_FAILED` when a transformer refuses).
 *
 * @example const opened = await openPayload(protector, [], token, now)
 */
export function openPayload(
  opener: { open(token: string, now: number): Awaitable<OpenResult> },
  transformers: readonly SessionTransformer[],
  token: string,
  now: number,
): Awaitable<OpenResult> {
  // Without transformers, the opener's answer as it comes: no async step of its own per read.
  return transformers.length === 0
    ? opener.open(token, now)
    : openTransformed(opener, transformers, token, now)
}

async function openTransformed(
  opener: { open(token: string, now: number): Awaitable<OpenResult> },
  transformers: readonly SessionTransformer[],
  token: string,
  now: number,
): Promise<OpenResult> {
  const opened = await opener.open(token, now)
  if (!opened.ok) return opened
  const payload = await transformRead(transformers, opened.payload)
  return payload === null ? { ok: false, reason: 'TRANSFORM_FAILED' } : { ...opened, payload }
}
