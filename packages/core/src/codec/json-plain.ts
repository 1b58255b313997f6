/** Deep enough for any real session; deeper values take superjson's path, which copes with cycles. */
const MAX_PLAIN_DEPTH = 64

/**
 * True when `JSON.stringify(value)` round-trips it exactly and superjson would write nothing more:
 * null, booleans, strings, finite numbers other than -0, dense arrays and plain objects of those,
 * without the keys `__proto__`, `constructor` and `prototype`. Anything else takes superjson's path.
 *
 * @example isJsonPlain({ items: [1, 2] }) // true; isJsonPlain({ at: new Date() }) // false
 */
export function isJsonPlain(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object': {
      if (value === null) return true
      if (depth >= MAX_PLAIN_DEPTH) return false
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isJsonPlain(value[i], depth + 1)) return false
        return true
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) return false
      for (const key in value) {
        // superjson refuses these keys (prototype pollution): the fast path must not accept what
        // superjson.stringify would refuse, so such a value fails to encode on either path.
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return false
        if (!isJsonPlain((value as Record<string, unknown>)[key], depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}
