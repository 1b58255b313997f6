/*
 * Sealing under chosen nonces, for reproducing the v1 test vectors (scripts/vectors.ts) and for tests;
 * never for an application. Two tokens sealed under one nonce and one key share a keystream: whoever
 * holds both learns the XOR of their contents. So no typed option reaches it: the package index does
 * not export this module (it belongs on an internal subpath), and the option it sets is keyed by a
 * symbol that only this module holds, which no JSON, environment variable or options type can spell.
 */

/** The key of the nonce option on `createProtector`'s and `createSessionEngine`'s options. */
const SEALING_NONCE: unique symbol = Symbol('tessera.sealingNonce')

/** Options that may carry a source of sealing nonces. */
interface WithSealingNonce {
  readonly [SEALING_NONCE]?: (() => Uint8Array) | undefined
}

/**
 * A copy of `options` (for `createProtector` or `createSessionEngine`) whose sealed tokens take their
 * 24-byte nonces from `nonce` instead of the runtime's random generator. Tests and test vectors only.
 *
 * @example
 * const writer = createProtector(withSealingNonce({ protection: 'sealed', name: 'cart', crypto, ring }, () => nonce))
 */
export function withSealingNonce<TOptions extends object>(
  options: TOptions,
  nonce: () => Uint8Array,
): TOptions {
  return { ...options, [SEALING_NONCE]: nonce }
}

/**
 * The nonce source that {@link withSealingNonce} put on `options`; undefined (random nonces) otherwise.
 *
 * @example const nonce = sealingNonceOf(options) ?? (() => crypto.randomBytes(24))
 */
export function sealingNonceOf(options: object): (() => Uint8Array) | undefined {
  return (options as WithSealingNonce)[SEALING_NONCE]
}
