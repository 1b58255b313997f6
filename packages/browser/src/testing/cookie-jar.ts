/** Where a mock's cookies go: the page's cookies when it may hold them, else a jar of its own. */
export interface MockCookieJar {
  /** The Cookie header a request carries: its own, then the jar's cookies it lacks. */
  header(requestCookies: string | null): string | undefined
  /** Applies Set-Cookie lines of a response to `url`. */
  store(lines: readonly string[], url: URL): void
  snapshot(): Record<string, string>
  clear(): void
}

/** True when the page itself can hold this cookie: a document of the response's origin, and no HttpOnly. */
function pageHolds(attributes: readonly string[], url: URL): boolean {
  if (typeof document === 'undefined' || globalThis.location?.origin !== url.origin) return false
  return !attributes.some((attribute) => attribute.trim().toLowerCase() === 'httponly')
}

/** Max-Age=0, or an Expires in the past: the cookie is being removed. */
function removes(attributes: readonly string[]): boolean {
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=', 2).map((part) => part.trim())
    if (key.toLowerCase() === 'max-age' && Number(value) <= 0) return true
    if (key.toLowerCase() === 'expires' && Date.parse(value) <= Date.now()) return true
  }
  return false
}

/**
 * A deliberately small cookie jar: one cookie per name, no path or domain matching. It stands in for
 * the browser's HttpOnly jar in tests, which is all a mock back end needs.
 */
export function createCookieJar(): MockCookieJar {
  const cookies = new Map<string, string>()
  return {
    header(requestCookies) {
      // msw adds the page's cookies as extra Cookie header lines, which Headers joins with ", ":
      // split on both (a cookie value cannot hold either) and keep the first of each name.
      const pairs = new Map<string, string>()
      for (const pair of (requestCookies ?? '').split(/\s*[;,]\s*/)) {
        const at = pair.indexOf('=')
        if (at > 0 && !pairs.has(pair.slice(0, at))) pairs.set(pair.slice(0, at), pair)
      }
      for (const [name, value] of cookies) if (!pairs.has(name)) pairs.set(name, `${name}=${value}`)
      return pairs.size > 0 ? [...pairs.values()].join('; ') : undefined
    },
    store(lines, url) {
      for (const line of lines) {
        const [pair = '', ...attributes] = line.split(';')
        const at = pair.indexOf('=')
        if (at <= 0) continue
        const name = pair.slice(0, at).trim()
        const value = pair.slice(at + 1).trim()
        if (pageHolds(attributes, url)) {
          // biome-ignore lint/suspicious/noDocumentCookie: the mock back end sets what a response would
          document.cookie = line
          cookies.delete(name)
          continue
        }
        if (value === '' || removes(attributes)) cookies.delete(name)
        else cookies.set(name, value)
      }
    },
    snapshot: () => Object.fromEntries(cookies),
    clear: () => cookies.clear(),
  }
}
