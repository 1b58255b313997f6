/**
 * Reading superjson's wire format (see `superjson-format.ts`) without superjson, for the annotations
 * of the standard types. Anything else (another annotation, `referentialEqualities`, a path that does
 * not lead to a value, a malformed meta part) is declined, never guessed at.
 *
 * The work is done in two passes so a declined payload is left untouched for superjson: the first
 * resolves every path, checks every shape and builds every leaf value (which is where a bad BigInt,
 * RegExp or URL would throw), the second only writes. Paths are resolved through own properties of
 * arrays and objects only, and a segment `__proto__`, `constructor` or `prototype` is refused, so no
 * path reaches a prototype. Annotation trees nest at most 64 deep; the rest of the work is linear in
 * the size of the payload.
 */

/**
 * What {@link decodeSuperjsonFormat} answers: the restored value, or `ok: false` to ask superjson.
 *
 * @example
 * const decoded: SuperjsonFormatDecoded = { ok: true, value: new Date(0) }
 */
export type SuperjsonFormatDecoded = { ok: true; value: unknown } | { ok: false }

/**
 * How deep either direction goes (containers when writing, annotation trees when reading); deeper
 * payloads, and cycles, are left to superjson.
 *
 * @example if (depth >= MAX_DEPTH) return undefined
 */
export const MAX_DEPTH = 64
/**
 * The keys superjson refuses to write and that no path may follow.
 *
 * @example if (FORBIDDEN.has(key)) return undefined
 */
export const FORBIDDEN: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
const DECLINED: SuperjsonFormatDecoded = Object.freeze({ ok: false })
/** What a leaf conversion answers when it cannot convert. */
const INVALID = Symbol('invalid')

type Container = Record<string, unknown> | unknown[]

/** A write of the second pass: `container[key] = value`, or the Map, Set or Error `build` makes of it. */
interface Write {
  container: Container
  key: string
  build: 'map' | 'set' | 'Error' | undefined
  value: unknown
}

/**
 * Restores what `superjson.deserialize(parsed)` restores, for payloads whose annotations are all of
 * Date, BigInt, undefined, number (NaN, ±Infinity, -0), RegExp, URL, Map, Set and Error, without
 * `referentialEqualities`; `{ ok: false }` for any other payload, valid or not, meaning: ask
 * superjson (which throws on most malformed ones). `parsed` must come from `JSON.parse`; on success
 * its `json` part is updated in place and becomes (part of) the value, as `superjson.parse` does, and
 * on `ok: false` it is untouched. A `__proto__` key inside `json` stays an own data property, as with
 * `superjson.parse` (`superjson.deserialize` drops it); no path ever goes through one.
 *
 * @example
 * decodeSuperjsonFormat(JSON.parse('{"json":"1","meta":{"values":["bigint"],"v":1}}')) // { ok: true, value: 1n }
 */
export function decodeSuperjsonFormat(parsed: { json: unknown; meta?: unknown }): SuperjsonFormatDecoded {
  const { json, meta } = parsed
  if (meta === undefined) return { ok: true, value: json }
  if (!isRecord(meta) || meta.v !== 1 || meta.referentialEqualities !== undefined) return DECLINED
  if (meta.values === undefined) return { ok: true, value: json }
  const root: unknown[] = [json]
  const writes: Write[] = []
  if (!plan(root, '0', meta.values, 0, writes)) return DECLINED
  for (const { container, key, build: type, value } of writes) {
    ;(container as Record<string, unknown>)[key] = type === undefined ? value : build(type, value)
  }
  return { ok: true, value: root[0] }
}

/**
 * First pass over the annotation `tree` of `container[key]`: checks it and queues its writes,
 * children first (superjson restores the inside of a Map, Set or Error before the thing itself).
 */
function plan(container: Container, key: string, tree: unknown, depth: number, writes: Write[]): boolean {
  if (depth > MAX_DEPTH) return false
  const target = (container as Record<string, unknown>)[key]
  let type: string | undefined
  let children: unknown
  if (Array.isArray(tree)) {
    if (tree.length < 1 || tree.length > 2 || typeof tree[0] !== 'string') return false
    type = tree[0]
    children = tree[1]
    if (tree.length === 2 && !isRecord(children)) return false
  } else if (isRecord(tree)) {
    children = tree
  } else {
    return false
  }
  if (children !== undefined) {
    const record = children as Record<string, unknown>
    // A Map's entries hold still: its paths go at least as deep as an entry's key or value.
    const minSegments = type === 'map' ? 2 : 1
    for (const path of Object.keys(record)) {
      const slot = resolve(target, path, record, minSegments)
      if (slot === undefined || !plan(slot[0], slot[1], record[path], depth + 1, writes)) return false
    }
  }
  if (type === undefined) return true
  let kind: Write['build']
  switch (type) {
    case 'map':
      if (!Array.isArray(target) || !target.every(Array.isArray)) return false
      kind = type
      break
    case 'set':
      if (!Array.isArray(target)) return false
      kind = type
      break
    case 'Error':
      // The message is turned into a string: only a string (left as it is) is sure not to throw.
      if (
        !isRecord(target) ||
        typeof target.message !== 'string' ||
        Object.hasOwn(children ?? {}, 'message')
      ) {
        return false
      }
      kind = type
      break
    default: {
      const value = children === undefined ? leaf(type, target) : INVALID
      if (value === INVALID) return false
      writes.push({ container, key, build: undefined, value })
      return true
    }
  }
  writes.push({ container, key, build: kind, value: target })
  return true
}

/** A leaf annotation's value, built from its JSON; INVALID when superjson's result may differ or throw. */
function leaf(type: string, json: unknown): unknown {
  if (type === 'undefined') return undefined
  if (typeof json !== 'string') return INVALID
  try {
    switch (type) {
      case 'Date':
        return new Date(json)
      case 'bigint':
        return BigInt(json)
      case 'number':
        return Number(json)
      case 'regexp': {
        const slash = json.lastIndexOf('/')
        return new RegExp(json.slice(1, slash), json.slice(slash + 1))
      }
      case 'URL':
        return typeof URL === 'function' ? new URL(json) : INVALID
      default:
        return INVALID
    }
  } catch {
    return INVALID
  }
}

/** Second pass: a Map, Set or Error from its checked JSON, as superjson builds it. */
function build(type: 'map' | 'set' | 'Error', json: unknown): unknown {
  if (type === 'map') return new Map(json as [unknown, unknown][])
  if (type === 'set') return new Set(json as unknown[])
  const fields = json as Record<string, unknown>
  const error =
    'cause' in fields
      ? new Error(fields.message as string, { cause: fields.cause })
      : new Error(fields.message as string)
  error.name = fields.name as string
  error.stack = fields.stack as string
  return error
}

/**
 * The container and key that `path` (dot-separated, `\.` and `\\` escaped) names under `node`, each
 * step an own element or property; undefined when it names nothing, is malformed, is shorter than
 * `minSegments`, or runs through another path of the same record (their writes would overlap).
 */
function resolve(
  node: unknown,
  path: string,
  record: Record<string, unknown>,
  minSegments: number,
): [Container, string] | undefined {
  let segment = ''
  let segments = 0
  let start = 0
  for (let i = 0; ; i++) {
    const code = i < path.length ? path.charCodeAt(i) : -1
    if (code === 92 /* \ */) {
      const next = path[i + 1]
      if (next !== '\\' && next !== '.') return undefined
      segment += path.slice(start, i) + next
      start = ++i + 1
    } else if (code === 46 /* . */ || code === -1) {
      segment += path.slice(start, i)
      if (!hasSlot(node, segment)) return undefined
      segments++
      if (code === -1) return segments < minSegments ? undefined : [node as Container, segment]
      if (Object.hasOwn(record, path.slice(0, i))) return undefined
      node = (node as Record<string, unknown>)[segment]
      segment = ''
      start = i + 1
    }
  }
}

/** True when `node` is an array with an element at the canonical index `key`, or an object owning `key`. */
function hasSlot(node: unknown, key: string): boolean {
  if (typeof node !== 'object' || node === null || FORBIDDEN.has(key)) return false
  if (!Array.isArray(node)) return Object.hasOwn(node, key)
  const index = Number(key)
  return Number.isInteger(index) && index >= 0 && index < node.length && String(index) === key
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
