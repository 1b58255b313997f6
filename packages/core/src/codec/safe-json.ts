/**
 * JSON.parse that refuses `__proto__` keys and `constructor.prototype`, the shapes that poison an
 * object's prototype once user code merges the value (a `none` session's payload is written by the
 * browser). The reviver, slow, runs only when the text could hold such a key, even escaped.
 *
 * @example parseJson('{"__proto__":{"admin":true}}') // throws
 */
export function parseJson(text: string): unknown {
  if (!text.includes('proto') && !text.includes('\\u')) return JSON.parse(text)
  return JSON.parse(text, refusePrototypeKeys)
}

function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (
    key === '__proto__' ||
    (key === 'constructor' &&
      typeof value === 'object' &&
      value !== null &&
      Object.hasOwn(value, 'prototype'))
  ) {
    throw new TypeError('JSON text with a prototype key')
  }
  return value
}
