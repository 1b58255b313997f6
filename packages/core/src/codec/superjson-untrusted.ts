/*
 * The limits on a superjson payload that no key checked (`CodecContext.untrusted`: a browser-owned
 * session's). They are checked on the parsed `meta` before any reader runs, so they hold whichever
 * one decodes the rest: the compact reader of ./superjson-format-decode, or superjson itself.
 *
 * - No `referentialEqualities`. They make one node of the value reachable by several paths, so the
 *   value decodes into a shared graph instead of a tree: 40 of them in a 2 KB payload unfold into
 *   2^40 leaves for whoever serialises or walks it, and one that points a node at its ancestor makes
 *   a cycle (`JSON.stringify` throws). Without them, every node of the decoded value is reached once.
 * - The annotation tree (`values`) nests at most {@link UNTRUSTED_LIMIT} levels, and each of its
 *   paths has at most {@link UNTRUSTED_LIMIT} segments: resolving one annotation is then a walk of at
 *   most 64 steps, and neither reader recurses deeper than 64 frames on its account.
 *
 * What that bounds: a payload of n bytes decodes into a tree of at most n nodes (JSON.parse builds
 * it; annotations only replace a node by one value or turn an array into a Map or Set of its
 * elements), in work linear in n for the parse and this check, plus at most 64 steps per annotation
 * for the compact reader; superjson itself also steps through a Map or Set to reach an annotated
 * entry, and rebuilds a Set for each annotated element. The token, and so n, is at most 64 KiB
 * (`MAX_TOKEN_LENGTH`): the worst payloads measured stay within a few milliseconds
 * (test/codec/superjson-untrusted.test.ts).
 */

/**
 * How deep an untrusted payload's annotation tree may nest, and how many segments each of its paths
 * may have.
 *
 * @example if (depth > UNTRUSTED_LIMIT) refuse()
 */
export const UNTRUSTED_LIMIT = 64

/**
 * Throws a `TypeError` unless the `meta` part of a superjson payload keeps to the limits for
 * untrusted input: no `referentialEqualities`, an annotation tree at most 64 levels deep whose
 * paths have at most 64 segments. `undefined` (no meta part) passes. Only the structure is looked
 * at: a malformed annotation is left for the reader to refuse.
 *
 * @example assertUntrustedMeta(JSON.parse(text).meta) // throws for '{"referentialEqualities":{"a":["b"]},"v":1}'
 */
export function assertUntrustedMeta(meta: unknown): void {
  if (meta === undefined) return
  if (!isRecord(meta)) throw new TypeError('a superjson meta part must be an object')
  if (Object.hasOwn(meta, 'referentialEqualities')) {
    throw new TypeError('an unauthenticated payload may not share references')
  }
  checkTree(meta.values, 0)
}

/** One annotation tree, at `depth` (0 for the root): `[type]`, `[type, {path: tree}]`, or `{path: tree}`. */
function checkTree(tree: unknown, depth: number): void {
  if (depth >= UNTRUSTED_LIMIT) throw new TypeError('an annotation tree nests too deep')
  const children = Array.isArray(tree) ? tree[1] : tree
  if (!isRecord(children)) return
  for (const path of Object.keys(children)) {
    if (segments(path) > UNTRUSTED_LIMIT) throw new TypeError('an annotation path is too long')
    checkTree(children[path], depth + 1)
  }
}

/**
 * The segments of a path: its dots plus one, a dot after a backslash being part of a key. Never
 * fewer than either reader splits it into (superjson's legacy paths included).
 */
function segments(path: string): number {
  let count = 1
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i)
    if (code === 92 /* \ */) i++
    else if (code === 46 /* . */) count++
  }
  return count
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
