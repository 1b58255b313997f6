/** A real HTTP client for the adapter tests: Node's fetch, cookies carried by hand. */

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** `result` of the route's JSON body, when it has one. */
  readonly result: unknown
  readonly setCookies: readonly string[]
}

export async function get(
  base: string,
  path: string,
  options: { cookies?: readonly string[]; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.cookies && options.cookies.length > 0) headers.cookie = options.cookies.join('; ')
  const response = await fetch(base + path, { headers, redirect: 'manual' })
  const text = await response.text()
  let result: unknown
  try {
    result = (JSON.parse(text) as { result?: unknown }).result
  } catch {
    result = undefined
  }
  return {
    status: response.status,
    headers: response.headers,
    text,
    result,
    setCookies: response.headers.getSetCookie(),
  }
}

export interface ParsedCookie {
  readonly name: string
  readonly value: string
  /** Attribute names in lower case; valueless attributes map to true. */
  readonly attributes: ReadonlyMap<string, string | true>
  /** `name=value`, to send back in a Cookie header. */
  readonly pair: string
}

export function parseSetCookie(line: string): ParsedCookie {
  const [pair, ...rest] = line.split(';').map((part) => part.trim())
  const equals = pair!.indexOf('=')
  const attributes = new Map<string, string | true>()
  for (const attribute of rest) {
    const at = attribute.indexOf('=')
    if (at < 0) attributes.set(attribute.toLowerCase(), true)
    else attributes.set(attribute.slice(0, at).toLowerCase(), attribute.slice(at + 1))
  }
  return { name: pair!.slice(0, equals), value: pair!.slice(equals + 1), attributes, pair: pair! }
}

/** The one Set-Cookie line of `name` in a reply; fails the test when there is not exactly one. */
export function cookieNamed(reply: Reply, name: string): ParsedCookie {
  const found = reply.setCookies.map(parseSetCookie).filter((cookie) => cookie.name === name)
  if (found.length !== 1) throw new Error(`expected one Set-Cookie for ${name}, got ${found.length}`)
  return found[0]!
}
