/**
 * superjson's wire format (version 1, as written by superjson 2.2.7's default instance with nothing
 * registered), written and read without superjson for the standard types.
 *
 * A payload is `{"json":J}` or `{"json":J,"meta":{"values":V,"v":1}}`. J is the value with every
 * non-JSON part replaced (Date → ISO string, BigInt → decimal string, undefined → null, NaN, ±Infinity
 * and -0 → "NaN", "Infinity", "-Infinity", "-0", RegExp → "/body/flags", URL → href, Map → array of
 * [key, value], Set → array, Error → {name, message, cause?}). V is a tree of annotations: a leaf is
 * `[type]`, a Map, Set or Error with annotated parts inside is `[type, {path: tree}]`, and the root is
 * either a tree (the value itself was replaced) or a record `{path: tree}`. Paths are keys joined by
 * dots, relative to the nearest replaced ancestor (or the root); a Map entry is `row.0` (key) or
 * `row.1` (value). In a key, `\` is written `\\` and `.` is written `\.`. Within each array or object,
 * the paths of children under array-index keys come first, then the others with everything under
 * them, in walk order (so `{"0.1": …, "0.0.a": …}` for an entry whose key is an object).
 *
 * superjson also writes `referentialEqualities` when one object (or one BigInt or NaN: it tracks those
 * by value) occurs twice, and refuses the keys `__proto__`, `constructor` and `prototype`. Neither
 * function here handles those cases: they answer "use superjson" instead.
 */

import { FORBIDDEN, MAX_DEPTH } from './superjson-format-decode'

export type { SuperjsonFormatDecoded } from './superjson-format-decode'
export { decodeSuperjsonFormat } from './superjson-format-decode'

/** An annotation: `[type]`, or `[type, children]` for a Map, Set or Error with annotated parts. */
type Tree = [string] | [string, Annotations]
type Annotations = Record<string, Tree>

// Leaf annotations are shared: nothing mutates them, JSON.stringify only reads them.
const UNDEFINED: Tree = ['undefined']
const BIGINT: Tree = ['bigint']
const NUMBER: Tree = ['number']
const DATE: Tree = ['Date']
const REGEXP: Tree = ['regexp']
const URL_TREE: Tree = ['URL']

/** Thrown inside the walk for anything superjson writes differently; caught by the entry point. */
const UNSUPPORTED = new Error('unsupported')

/** The state of one encoding walk. */
interface Walk {
  /** Every object, BigInt and NaN met so far: a second meeting means superjson would share it. */
  readonly seen: Set<unknown>
  /** The keys from the root to the current value. */
  readonly path: (string | number)[]
  /** Where, in `path`, the record being filled starts (the nearest replaced ancestor, or the root). */
  base: number
  /** That record as pairs (path, tree), in superjson's order. */
  record: (string | Tree)[]
  /** Where, in `record`, the annotations of the innermost array or object start… */
  level: number
  /** …and how many of them are for a child under an array-index key: superjson puts those first. */
  indexed: number
  /** The annotation of the root value itself. */
  top: Tree | undefined
}

/**
 * Writes `value` exactly as `superjson.stringify(value)` does (same bytes), for values made of JSON
 * data, Date, Map, Set, BigInt, undefined, NaN, ±Infinity, -0, RegExp, URL and Error; `undefined`
 * for anything else (class instances, symbols, functions, typed arrays, sparse arrays, repeated
 * references, cycles, nesting past 64 levels, the keys superjson refuses), meaning: ask superjson.
 *
 * @example
 * encodeSuperjsonFormat({ at: new Date(0) }) // '{"json":{"at":"1970-01-01T00:00:00.000Z"},"meta":{"values":{"at":["Date"]},"v":1}}'
 */
export function encodeSuperjsonFormat(value: unknown): string | undefined {
  const walk: Walk = { seen: new Set(), path: [], base: 0, record: [], level: 0, indexed: 0, top: undefined }
  let json: unknown
  try {
    json = encodeValue(walk, value, 0)
  } catch {
    // UNSUPPORTED, or a throwing getter or a fake Map: superjson decides what to do with those.
    return undefined
  }
  const values = walk.top ?? (walk.record.length > 0 ? toRecord(walk.record) : undefined)
  const text = JSON.stringify(json)
  return values === undefined
    ? `{"json":${text}}`
    : `{"json":${text},"meta":{"values":${JSON.stringify(values)},"v":1}}`
}

function encodeValue(walk: Walk, value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (Number.isFinite(value) && (value !== 0 || 1 / value > 0)) return value
      if (Number.isNaN(value)) remember(walk, value)
      annotate(walk, NUMBER)
      return value === 0 ? '-0' : String(value)
    case 'bigint':
      remember(walk, value)
      annotate(walk, BIGINT)
      return String(value)
    case 'undefined':
      annotate(walk, UNDEFINED)
      return null
    case 'object':
      return value === null ? null : encodeObject(walk, value, depth)
    default:
      throw UNSUPPORTED
  }
}

function encodeObject(walk: Walk, value: object, depth: number): unknown {
  remember(walk, value)
  const proto = Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === null) {
    return encodeFields(walk, value as Record<string, unknown>, Object.keys(value), depth)
  }
  if (proto === Array.prototype && Array.isArray(value)) return encodeArray(walk, value, depth)
  // superjson tests typed arrays (by internal slot) before any prototype-based rule.
  if (ArrayBuffer.isView(value)) throw UNSUPPORTED
  if (proto === Date.prototype) {
    const date = value as Date
    if (Number.isNaN(date.getTime())) throw UNSUPPORTED
    annotate(walk, DATE)
    return date.toISOString()
  }
  if (proto === RegExp.prototype) {
    annotate(walk, REGEXP)
    return String(value)
  }
  if (proto === Map.prototype || proto === Set.prototype || value instanceof Error) {
    if (depth >= MAX_DEPTH) throw UNSUPPORTED
    return encodeContainer(walk, value as Map<unknown, unknown> | Set<unknown> | Error, depth)
  }
  if (typeof URL === 'function' && proto === URL.prototype) {
    annotate(walk, URL_TREE)
    return value.toString()
  }
  throw UNSUPPORTED
}

/** A Map, Set or Error: its parts are annotated in a record of its own, under its `[type, …]`. */
function encodeContainer(walk: Walk, value: Map<unknown, unknown> | Set<unknown> | Error, depth: number) {
  const { base, record, level, indexed } = walk
  walk.base = walk.path.length
  walk.record = []
  walk.level = 0
  walk.indexed = 0
  let json: unknown
  let type: string
  if (value instanceof Error) {
    type = 'Error'
    // superjson's Error rule: name, message and (when present, even inherited) cause.
    const fields: Record<string, unknown> = { name: value.name, message: value.message }
    if ('cause' in value) fields.cause = value.cause
    json = encodeFields(walk, fields, Object.keys(fields), depth)
  } else {
    // Map entries come out of the iterator as fresh [key, value] arrays, filled in place.
    const items: unknown[] = [...value]
    const map = value instanceof Map
    type = map ? 'map' : 'set'
    for (let row = 0; row < items.length; row++) {
      walk.path.push(row)
      if (map) {
        // An entry is an array of its own to superjson: its key and value are its level.
        walk.level = walk.record.length
        walk.indexed = 0
        const entry = items[row] as unknown[]
        for (let side = 0; side < 2; side++) {
          walk.path.push(side)
          entry[side] = encodeValue(walk, entry[side], depth + 1)
          walk.path.pop()
        }
      } else {
        items[row] = encodeValue(walk, items[row], depth + 1)
      }
      walk.path.pop()
    }
    json = items
  }
  const tree: Tree = walk.record.length > 0 ? [type, toRecord(walk.record)] : [type]
  walk.base = base
  walk.record = record
  walk.level = level
  walk.indexed = indexed
  annotate(walk, tree)
  return json
}

/** A plain object's own enumerable string keys, in order, each value read once. */
function encodeFields(walk: Walk, value: Record<string, unknown>, keys: string[], depth: number) {
  if (depth >= MAX_DEPTH) throw UNSUPPORTED
  const { level, indexed } = walk
  walk.level = walk.record.length
  walk.indexed = 0
  const json: Record<string, unknown> = {}
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    if (FORBIDDEN.has(key)) throw UNSUPPORTED
    walk.path.push(key)
    json[key] = encodeValue(walk, value[key], depth + 1)
    walk.path.pop()
  }
  walk.level = level
  walk.indexed = indexed
  return json
}

/** A dense array with no other own keys (a hole or an extra key changes superjson's output). */
function encodeArray(walk: Walk, value: unknown[], depth: number) {
  if (depth >= MAX_DEPTH) throw UNSUPPORTED
  const length = value.length
  const keys = Object.keys(value)
  if (keys.length !== length || (length > 0 && keys[length - 1] !== String(length - 1))) throw UNSUPPORTED
  const { level, indexed } = walk
  walk.level = walk.record.length
  walk.indexed = 0
  const json: unknown[] = new Array(length)
  for (let i = 0; i < length; i++) {
    walk.path.push(i)
    json[i] = encodeValue(walk, value[i], depth + 1)
    walk.path.pop()
  }
  walk.level = level
  walk.indexed = indexed
  return json
}

/** Records a non-primitive (superjson's meaning: also BigInt and NaN); a second meeting gives up. */
function remember(walk: Walk, value: unknown): void {
  if (walk.seen.has(value)) throw UNSUPPORTED
  walk.seen.add(value)
}

/**
 * Files `tree` under the current path, relative to the nearest replaced ancestor. Within one array
 * or object, superjson lists the annotations of children under array-index keys first, then the
 * others (and whatever their insides hold) in walk order.
 */
function annotate(walk: Walk, tree: Tree): void {
  const { path, base, record } = walk
  if (path.length === base) {
    walk.top = tree
    return
  }
  let key = escapeKey(path[base]!)
  for (let i = base + 1; i < path.length; i++) key += '.' + escapeKey(path[i]!)
  const last = path[path.length - 1]!
  if (typeof last === 'number' || isArrayIndex(last)) {
    const at = walk.level + 2 * walk.indexed++
    if (at === record.length) record.push(key, tree)
    else record.splice(at, 0, key, tree)
  } else {
    record.push(key, tree)
  }
}

/** The pairs as an object: array-index keys are already first and ascending, as an object keeps them. */
function toRecord(pairs: (string | Tree)[]): Annotations {
  const record: Annotations = {}
  for (let i = 0; i < pairs.length; i += 2) record[pairs[i] as string] = pairs[i + 1] as Tree
  return record
}

/** A canonical array index below 2 ** 32 - 1: the keys an object lists first. */
function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10 || (key.length > 1 && key[0] === '0')) return false
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i)
    if (code < 48 || code > 57) return false
  }
  return Number(key) < 4294967295
}

function escapeKey(key: string | number): string {
  if (typeof key === 'number') return String(key)
  return key.includes('\\') || key.includes('.') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key
}
