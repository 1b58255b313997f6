import type { RequestSessions, SessionEngine, SessionIO } from '../../src'

/** What a fake request carries. Header names are lowercase, as adapters hand them to the engine. */
export interface FakeRequest {
  readonly cookie?: string | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly secure?: boolean | undefined
}

/** A {@link SessionIO} over plain arrays, recording every read and write the engine makes. */
export function fakeIO(request: FakeRequest = {}) {
  const reads: string[] = []
  const appended: [string, string][] = []
  const headers = new Map<string, string>()
  let sent = false
  const io: SessionIO = {
    requestHeader(name) {
      reads.push(name)
      return name === 'cookie' ? request.cookie : request.headers?.[name]
    },
    appendHeader: (name, value) => void appended.push([name, value]),
    setHeader: (name, value) => void headers.set(name, value),
    headersSent: () => sent,
    isSecure: () => request.secure ?? false,
  }
  return {
    io,
    /** Header names the engine asked for, in order. */
    reads,
    /** Every appended header line. */
    appended,
    /** Headers set with setHeader (last value wins). */
    headers,
    /** The Set-Cookie lines written. */
    setCookies: () => appended.filter(([name]) => name === 'set-cookie').map(([, value]) => value),
    /** Simulates the adapter sending the response headers. */
    send() {
      sent = true
    },
  }
}

export type FakeIO = ReturnType<typeof fakeIO>

/** The `name=value` pair at the start of a Set-Cookie line. */
export function cookiePair(line: string): { name: string; value: string } {
  const pair = line.slice(0, line.indexOf(';') < 0 ? line.length : line.indexOf(';'))
  const eq = pair.indexOf('=')
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
}

/** True when a Set-Cookie line deletes its cookie (empty value, Max-Age=0). */
export function isClearing(line: string): boolean {
  return cookiePair(line).value === '' && /; Max-Age=0(;|$)/.test(line)
}

/**
 * True when a browser drops the cookie a Set-Cookie line names, as RFC 6265 says: Max-Age wins and
 * deletes at 0 or below (whatever the value); without it, an Expires at or before `nowSeconds` deletes.
 */
export function deletesCookie(line: string, nowSeconds: number): boolean {
  const attribute = (name: string) =>
    line
      .split(';')
      .slice(1)
      .map((part) => part.trim())
      .find((part) => part.toLowerCase().startsWith(`${name.toLowerCase()}=`))
      ?.slice(name.length + 1)
  const maxAge = attribute('Max-Age')
  if (maxAge !== undefined && /^-?[0-9]+$/.test(maxAge)) return Number(maxAge) <= 0
  const expires = attribute('Expires')
  return expires !== undefined && Date.parse(expires) <= nowSeconds * 1000
}

/**
 * A browser in miniature: keeps cookies and header-session tokens between requests, applies
 * Set-Cookie lines as a browser does ({@link deletesCookie}: Max-Age at or below 0, or a past Expires,
 * deletes, whatever the value) and header responses (`cleared` deletes). `now` (unix milliseconds,
 * the engine's clock in tests) dates Expires.
 */
export class FakeBrowser {
  readonly cookies = new Map<string, string>()
  readonly headerTokens = new Map<string, string>()

  constructor(
    readonly engine: SessionEngine,
    readonly now: () => number = Date.now,
  ) {}

  /** Sends one request: opens the sessions, runs `handler`, commits, and stores what came back. */
  async request<T>(
    handler: (sessions: RequestSessions, io: FakeIO) => Promise<T> | T,
    extra: { headers?: Record<string, string>; secure?: boolean } = {},
  ): Promise<{ result: T; io: FakeIO }> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const io = fakeIO({
      cookie: cookie === '' ? undefined : cookie,
      headers: { ...Object.fromEntries(this.headerTokens), ...extra.headers },
      secure: extra.secure,
    })
    const sessions = this.engine.open(io.io)
    const result = await handler(sessions, io)
    sessions.commit()
    for (const line of io.setCookies()) {
      const { name, value } = cookiePair(line)
      if (deletesCookie(line, Math.floor(this.now() / 1000))) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    for (const [name, value] of io.headers) {
      if (value === 'cleared') this.headerTokens.delete(name)
      else this.headerTokens.set(name, value)
    }
    return { result, io }
  }
}

/** A settable clock in unix milliseconds, for the engine's and the storage's `now` option. */
export function fakeClock(startSeconds = 1_800_000_000) {
  let ms = startSeconds * 1000
  return {
    now: () => ms,
    seconds: () => Math.floor(ms / 1000),
    advance(seconds: number) {
      ms += seconds * 1000
    },
  }
}

/** A secret of the right length for tests. */
export const SECRET = 'a test secret of at least thirty-two bytes'
