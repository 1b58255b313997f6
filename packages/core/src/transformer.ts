import type { Awaitable } from './awaitable'

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
