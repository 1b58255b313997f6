/**
 * A session value as readable text, for the inspectors: JSON-like, but a Map shows as a Map and a
 * Date as a Date (what the default codec, superjson, carries and JSON would lose).
 *
 * @example describeValue({ at: new Date(0) }) // '{\n  at: Date(1970-01-01T00:00:00.000Z)\n}'
 */
export function describeValue(value: unknown, indent = ''): string {
  const inner = `${indent}  `
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`
  if (value instanceof Map) {
    if (value.size === 0) return 'Map(0) {}'
    const lines = [...value].map(
      ([key, item]) => `${inner}${describeValue(key, inner)} => ${describeValue(item, inner)}`,
    )
    return `Map(${value.size}) {\n${lines.join(',\n')}\n${indent}}`
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((item) => inner + describeValue(item, inner)).join(',\n')}\n${indent}]`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) return '{}'
    const lines = entries.map(([key, item]) => `${inner}${key}: ${describeValue(item, inner)}`)
    return `{\n${lines.join(',\n')}\n${indent}}`
  }
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}
