/** A value that may arrive now or later. Sync results stay sync so the hot path allocates no promise. */
export type Awaitable<T> = T | PromiseLike<T>

/**
 * What the caller of a codec knows about the text it decodes (or the value it encodes).
 *
 * @example superjsonCodec.decode(payload, { untrusted: true })
 */
export interface CodecContext {
  /**
   * True when no key checks the text: the payload of a browser-owned (`protection: 'none'`,
   * client-stored) session, which anyone can write. A codec then refuses what only an attacker
   * would send (the default codec: shared or cyclic references, and annotation trees past its
   * limits), and `encode` refuses the values that `decode` would refuse, so nothing is written only
   * to read as absent. The engine and the browser client set it; a signed, sealed or Ed25519 payload,
   * written by the server, and a server-stored session's text are trusted.
   * @default false
   */
  readonly untrusted?: boolean | undefined
}

/**
 * Turns a session value into text and back. The text is what the protection (signing, sealing)
 * covers; it never needs to be cookie-safe, the wire format takes care of that.
 *
 * `decode` throws on malformed input; the engine turns the throw into an absent session with the
 * reason `DECODE_FAILED`, so a caller of `get` never sees it. Both take an optional
 * {@link CodecContext}: a codec of your own may ignore it when its text cannot decode into shared or
 * cyclic structures (JSON cannot).
 *
 * @example
 * const upper: SessionCodec<string> = { name: 'upper', encode: (v) => v.toUpperCase(), decode: (t) => t }
 */
export interface SessionCodec<T = unknown> {
  /** A short identifier, used in error messages and the benchmark. */
  readonly name: string
  encode(value: T, context?: CodecContext): Awaitable<string>
  decode(text: string, context?: CodecContext): Awaitable<T>
}
