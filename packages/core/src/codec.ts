import type { Awaitable } from './awaitable'
import { loadOnce, when } from './awaitable'
import { SessionError } from './errors'

/*
 * Codecs turn a session value into text and back: the interface, plain JSON, and the default codec
 * on superjson.
 */

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

/**
 * Plain JSON. Smallest and fastest; Date becomes a string, Map/Set become `{}`, undefined properties
 * vanish and BigInt cannot be encoded. Prefer the default codec unless the value is JSON by design.
 * JSON text always decodes into a tree (no shared or cyclic parts), so the codec context changes
 * nothing here.
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
  decode: parseJson,
}

/*
 * The default codec: superjson's text, written and read by superjson itself, which is loaded on the
 * first value that needs it. A JSON-plain value (the common case) is written as superjson writes it,
 * `{"json":…}`, by one JSON.stringify, and a text without a `meta` part is read by one JSON.parse: a
 * session that holds only JSON never loads superjson.
 */

const superjson = loadOnce(() => import('superjson').then((module) => module.default))

/** Deep enough for any real session; deeper values take superjson's path, which copes with cycles. */
const MAX_PLAIN_DEPTH = 64

/**
 * True when `superjson.stringify(value)` would write `{"json":<JSON.stringify(value)>}` and nothing
 * more: null, booleans, strings, finite numbers other than -0, dense arrays and plain objects of
 * those, without the keys `__proto__`, `constructor` and `prototype` (superjson refuses those).
 */
function isJsonPlain(value: unknown, depth = 0): boolean {
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
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return false
        if (!isJsonPlain((value as Record<string, unknown>)[key], depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/**
 * How deep an untrusted payload's annotation tree may nest, and how many segments each of its paths
 * may have: resolving one annotation is then a walk of at most 64 steps.
 */
const UNTRUSTED_LIMIT = 64

/**
 * Throws unless the `meta` part of a payload that no key checked keeps to the limits for untrusted
 * input, checked before superjson reads it:
 *
 * - no `referentialEqualities`: they make one node reachable by several paths, so the value would
 *   decode into a shared graph instead of a tree (40 of them in 2 KB unfold into 2^40 leaves for
 *   whoever serialises the value, and one pointing a node at its ancestor makes a cycle);
 * - an annotation tree at most 64 levels deep, each path at most 64 segments (a dot after a
 *   backslash is part of a key).
 *
 * A payload of n bytes then decodes into a tree of at most n nodes, in work linear in n plus at most
 * 64 steps per annotation; n is at most 64 KiB (the longest token tessera reads).
 */
function assertUntrustedMeta(meta: unknown): void {
  if (meta === undefined) return
  if (!isRecord(meta)) throw new TypeError('a superjson meta part must be an object')
  if (Object.hasOwn(meta, 'referentialEqualities')) {
    throw new TypeError('an unauthenticated payload may not share references')
  }
  const check = (tree: unknown, depth: number): void => {
    if (depth >= UNTRUSTED_LIMIT) throw new TypeError('an annotation tree nests too deep')
    const children = Array.isArray(tree) ? tree[1] : tree
    if (!isRecord(children)) return
    for (const path in children) {
      if (segments(path) > UNTRUSTED_LIMIT) throw new TypeError('an annotation path is too long')
      check(children[path], depth + 1)
    }
  }
  check(meta.values, 0)
}

/** The segments of a path, as superjson splits it: its dots plus one, a backslash escaping the next character. */
function segments(path: string): number {
  let count = 1
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i)
    if (code === 92 /* \ */) i++
    else if (code === 46 /* . */) count++
  }
  return count
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What the codecs below use of superjson: the static API of the module or one instance. */
interface SuperjsonLike {
  stringify(value: unknown): string
  deserialize(payload: never): unknown
}

/** The default codec's behaviour over a superjson (the module, or an instance with registered classes). */
function codecOver(name: string, load: () => Awaitable<SuperjsonLike>): SessionCodec<any> {
  return {
    name,
    encode(value: unknown, context?: CodecContext): Awaitable<string> {
      if (isJsonPlain(value)) return `{"json":${JSON.stringify(value)}}`
      return when(load(), (loaded) => {
        const text = loaded.stringify(value)
        // The text as it will be read: parsed and checked as decode parses and checks it.
        if (context?.untrusted) assertUntrustedMeta((parseJson(text) as { meta?: unknown }).meta)
        return text
      })
    },
    decode(text: string, context?: CodecContext): Awaitable<unknown> {
      const parsed = parseJson(text)
      if (!isRecord(parsed) || !('json' in parsed)) throw new TypeError('not a superjson payload')
      if (parsed.meta === undefined) return parsed.json
      if (context?.untrusted) assertUntrustedMeta(parsed.meta)
      return when(load(), (loaded) => loaded.deserialize(parsed as never))
    },
  }
}

/**
 * The default codec: superjson's text format, so a value holding a Date, Map, Set, BigInt, undefined,
 * RegExp, URL, Error, NaN or Infinity comes back as it went in. A JSON-plain value costs one
 * `JSON.stringify` (superjson's own `{"json":…}` text, without `meta`) and a text without `meta` one
 * `JSON.parse`; anything richer goes through `superjson.stringify` and `superjson.deserialize`,
 * loaded on first need (so such a call returns a promise until superjson is loaded). Decoding refuses
 * `__proto__` and `constructor.prototype` keys. Instances of your own classes come back as plain
 * objects: give them to {@link createSuperjsonCodec} to keep them instances.
 *
 * With `{ untrusted: true }` (browser-owned sessions), `decode` also refuses a payload whose `meta`
 * shares references (the value would be a graph, or a cycle, instead of a tree) or whose annotation
 * tree nests past 64 levels or 64 segments a path; `encode` refuses the values that would give such
 * a payload (one object, BigInt or NaN held twice, a cycle). Signed, sealed and Ed25519 payloads keep
 * superjson's shared references.
 *
 * @example defineSession('cart', { schema: cartSchema }) // uses this codec
 */
export const superjsonCodec: SessionCodec<any> = codecOver('superjson', superjson)

/** A class whose instances a codec keeps: any constructor. */
export type SessionClass = abstract new (...args: any[]) => unknown

/** Options of {@link createSuperjsonCodec}. */
export interface SuperjsonCodecOptions {
  /**
   * Your classes by a stable identifier (written into the payload, so keep it when you rename the
   * class: minifiers rename classes, identifiers stay). An instance written as one of these is read
   * back as an instance of the same class, its own enumerable properties restored; its constructor
   * is not called.
   */
  readonly classes: Readonly<Record<string, SessionClass>>
}

const CLASS_ID = /^[A-Za-z0-9_.:-]{1,64}$/

/**
 * The default codec with classes of your own registered (superjson's `registerClass`, on an instance
 * of its own: the default codec and other codecs are unaffected), so an instance set in one request is
 * an instance in the next. Put it in the descriptor, which browser and server share: the browser reads
 * a client-visible session with the same registration. A payload naming a class the codec does not
 * know reads as absent (`DECODE_FAILED`). `INVALID_OPTION` for an identifier that is not 1 to 64 of
 * `A-Z a-z 0-9 _ - . :` or a value that is not a class.
 *
 * @example
 * class Money { constructor(public cents: number, public currency: string) {} }
 * const codec = createSuperjsonCodec({ classes: { Money } })
 * const Wallet = defineSession<{ balance: Money }>()('wallet', { codec })
 */
export function createSuperjsonCodec(options: SuperjsonCodecOptions): SessionCodec<any> {
  const classes = Object.entries(options?.classes ?? {})
  for (const [id, Class] of classes) {
    if (!CLASS_ID.test(id) || typeof Class !== 'function') {
      throw new SessionError(
        'INVALID_OPTION',
        'createSuperjsonCodec classes: give each class under an identifier of 1 to 64 of A-Z a-z 0-9 _ - . :',
      )
    }
  }
  const instance = loadOnce(() =>
    import('superjson').then(({ default: SuperJSON }) => {
      const registered = new SuperJSON()
      for (const [identifier, Class] of classes) registered.registerClass(Class as never, { identifier })
      return registered
    }),
  )
  return codecOver(`superjson(${classes.map(([id]) => id).join(',')})`, instance)
}
