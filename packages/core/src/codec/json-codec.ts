import type { SessionCodec } from './codec'
import { parseJson } from './safe-json'

/**
 * Plain JSON. Smallest and fastest; Date becomes a string, Map/Set become `{}`, undefined properties
 * vanish and BigInt cannot be encoded. Prefer the default codec unless the value is JSON by design.
 * JSON text always decodes into a tree (no shared or cyclic parts), so the codec context changes
 * nothing here: an untrusted payload is parsed like any other.
 *
 * @example defineSession<{ theme: 'dark' | 'light' }>()('prefs', { codec: jsonCodec })
 */
export const jsonCodec: SessionCodec<any> = {
  name: 'json',
  encode(value) {
    const text = JSON.stringify(value)
    if (text === undefined) throw new TypeError('the value has no JSON form')
    // What decode refuses is refused here too, so a value is never written only to read as absent.
    if (text.includes('proto') || text.includes('\\u')) parseJson(text)
    return text
  },
  // Refuses `__proto__` and `constructor.prototype` keys: a browser-owned payload is untrusted.
  decode: parseJson,
}
