/** A value that may arrive now or later. Sync results stay sync so the hot path allocates no promise. */
export type Awaitable<T> = T | PromiseLike<T>

/**
 * Turns a session value into text and back. The text is what the protection (signing, sealing)
 * covers; it never needs to be cookie-safe, the wire format takes care of that.
 *
 * `decode` throws on malformed input; the engine turns the throw into an absent session with the
 * reason `DECODE_FAILED`, so a caller of `get` never sees it.
 *
 * @example
 * const upper: SessionCodec<string> = { name: 'upper', encode: (v) => v.toUpperCase(), decode: (t) => t }
 */
export interface SessionCodec<T = unknown> {
  /** A short identifier, used in error messages and the benchmark. */
  readonly name: string
  encode(value: T): Awaitable<string>
  decode(text: string): Awaitable<T>
}
