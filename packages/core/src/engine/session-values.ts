import { isPromiseLike } from '../awaitable'
import type { Awaitable, CodecContext } from '../codec/codec'
import { SessionError } from '../errors'
import type { SchemaOutcome, StandardSchemaV1 } from '../standard-schema'
import { validateWith } from '../standard-schema'
import type { Binding } from './binding'

/** Refuses null and undefined: `set` creates or replaces, `clear` ends (Ktor's `set(null)` trap). */
export function assertValue(
  binding: Binding,
  value: unknown,
  what = 'set needs a value; use clear to end the session',
): void {
  if (value === null || value === undefined) {
    throw new SessionError('INVALID_VALUE', `session "${binding.name}": ${what}`, { session: binding.name })
  }
}

/**
 * Runs the descriptor's schema on a value about to be written; `INVALID_VALUE` when it fails, and when
 * it throws: the value is the app's, so is the error, which keeps only the name of what the schema
 * threw as `cause` (its message may quote the value).
 */
export async function validateValue(binding: Binding, value: unknown): Promise<unknown> {
  const schema = binding.descriptor.schema
  if (!schema) return value
  let outcome: SchemaOutcome<unknown>
  try {
    outcome = await validateWith(schema, value)
  } catch (cause) {
    throw new SessionError('INVALID_VALUE', `session "${binding.name}": the schema threw on the value`, {
      cause: new Error(cause instanceof Error ? cause.name : 'error'),
      session: binding.name,
    })
  }
  if (outcome.ok) return outcome.value
  const count = outcome.issues.length
  throw new SessionError(
    'INVALID_VALUE',
    `session "${binding.name}": the value fails the schema (${count} issue${count === 1 ? '' : 's'})`,
    { session: binding.name },
  )
}

const UNTRUSTED: CodecContext = Object.freeze({ untrusted: true })
const TRUSTED: CodecContext = Object.freeze({ untrusted: false })

/**
 * What the codec is told about the session's text: untrusted for a browser-owned session (`none`,
 * client-stored), whose payload no key checks; a server-stored session's text comes from its storage.
 */
const contextOf = (binding: Binding): CodecContext =>
  binding.descriptor.protection === 'none' && binding.storage === undefined ? UNTRUSTED : TRUSTED

/**
 * Runs a schema on a value read from a request. A schema that throws on it fails it, as one that
 * refuses it does: a hostile value is bad input (the session reads as absent), never a 500.
 */
export async function checkRead(
  schema: StandardSchemaV1<unknown, unknown>,
  value: unknown,
): Promise<SchemaOutcome<unknown>> {
  try {
    return await validateWith(schema, value)
  } catch {
    return { ok: false, issues: [] }
  }
}

/**
 * Encodes with the session's codec; `ENCODE_FAILED` (naming the codec, never the value) when it
 * cannot, or when the codec would refuse to decode the text of a browser-owned session. Synchronous
 * when the codec is (the default codec after its first use): no promise per request.
 */
export function encodeValue(binding: Binding, value: unknown): Awaitable<string> {
  const refuse = (cause: unknown) => {
    throw new SessionError(
      'ENCODE_FAILED',
      `session "${binding.name}": the ${binding.codec.name} codec cannot encode the value`,
      { cause: cause instanceof Error ? new Error(cause.name) : undefined, session: binding.name },
    )
  }
  try {
    const text = binding.codec.encode(value, contextOf(binding))
    return isPromiseLike(text) ? Promise.resolve(text).then(undefined, refuse) : text
  } catch (cause) {
    return refuse(cause)
  }
}

/**
 * Decodes with the session's codec; undefined when the text does not decode, or (a browser-owned
 * session's) breaks the codec's limits for untrusted text. Synchronous when the codec is.
 */
export function decodeValue(binding: Binding, text: string): Awaitable<unknown> {
  try {
    const decoded = binding.codec.decode(text, contextOf(binding))
    return isPromiseLike(decoded) ? Promise.resolve(decoded).then(undefined, () => undefined) : decoded
  } catch {
    return undefined
  }
}
