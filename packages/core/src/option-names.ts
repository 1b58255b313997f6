import { SessionError } from './errors'

// The option names each entry point accepts. Plain JavaScript (or a cast) can pass any object, and a
// misspelt option (`httponly`, `maxAgeInSeconds`) would otherwise be ignored in silence, leaving the
// secure default the caller meant to change, or the insecure one they meant to leave. A new option is
// added to its list here, next to its type.

/** `defineSession(name, options)`: `SessionOptions`. */
export const SESSION_OPTIONS = [
  'schema',
  'transport',
  'storage',
  'visibility',
  'protection',
  'expiry',
  'codec',
  'publicKeys',
] as const

/** `defineSession(name, { expiry })`: `SessionExpiry`. */
export const EXPIRY_OPTIONS = ['idle', 'absolute'] as const

/** Server options shared by `cookie()` and `header()`: `TransportOptions`. */
const TRANSPORT_OPTIONS: readonly string[] = [
  'storage',
  'identity',
  'transformers',
  'skipEqualWrites',
  'merge',
  'tokenCache',
  'maxRetries',
  'owner',
]

// The two lists below are built with a call marked pure rather than with a spread, which a bundler
// must keep in case it runs an iterator: in core's shared build chunk, a page that never calls
// cookie() or header() would otherwise still carry both lists.

/** `cookie(descriptor, options)`: `CookieSessionOptions` (with `CookieAttributeOptions`). */
export const COOKIE_OPTIONS: readonly string[] = /* @__PURE__ */ TRANSPORT_OPTIONS.concat([
  'maxAge',
  'encoding',
  'chunking',
  'domain',
  'path',
  'secure',
  'httpOnly',
  'sameSite',
  'partitioned',
  'priority',
  'extensions',
])

/** `header(descriptor, options)`: `HeaderSessionOptions`. */
export const HEADER_OPTIONS: readonly string[] = /* @__PURE__ */ TRANSPORT_OPTIONS.concat(['exposeHeader'])

/** `createSessionEngine(options)` and node's `createSessions(options)`: `SessionEngineOptions`. */
export const ENGINE_OPTIONS = ['secret', 'keys', 'sessions', 'crypto', 'onInvalid', 'onError', 'now'] as const

/** `memoryStorage(options)`: `MemoryStorageOptions`. */
export const MEMORY_STORAGE_OPTIONS = ['maxEntries', 'now'] as const

/**
 * Refuses (`INVALID_OPTION`) an options object with a name not in `known`, suggesting the known name
 * it most likely meant: "cookie(): unknown option httponly: did you mean httpOnly?". Symbol keys
 * (internal test hooks) and a missing options object pass.
 *
 * @example assertKnownOptions({ httponly: true }, COOKIE_OPTIONS, 'cookie()', 'cart') // throws
 */
export function assertKnownOptions(
  options: unknown,
  known: readonly string[],
  where: string,
  session?: string,
): void {
  if (typeof options !== 'object' || options === null) return
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue
    const guess = closestName(name, known)
    const about = session === undefined ? where : `session "${session}": ${where}`
    throw new SessionError(
      'INVALID_OPTION',
      `${about}: unknown option ${printable(name)}${guess ? `: did you mean ${guess}?` : `; known options: ${known.join(', ')}`}`,
      session === undefined ? undefined : { session },
    )
  }
}

/** An option name as it may be shown: it comes from the caller's code, but keep it short and on one line. */
const printable = (name: string): string =>
  /^[\w$-]{1,64}$/.test(name) ? name : JSON.stringify(name.slice(0, 64))

/**
 * The known name `name` most likely meant: the same name in another case, else the nearest by edit
 * distance when it is close (2 edits, or a third of the letters), else a known name it begins with
 * or that begins with it; undefined otherwise.
 */
function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  const sameLetters = known.find((candidate) => candidate.toLowerCase() === lower)
  if (sameLetters) return sameLetters
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  if (best) return best
  const related = (candidate: string) =>
    lower.startsWith(candidate.toLowerCase()) || candidate.toLowerCase().startsWith(lower)
  return lower.length >= 3 ? known.find(related) : undefined
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution)
    }
    previous = current
  }
  return previous[b.length]!
}
