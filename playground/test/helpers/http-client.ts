/** A tiny HTTP client for the API tests: a cookie jar (last value per name) and the login header. */
export interface Reply {
  readonly status: number
  readonly body: any
  readonly setCookies: readonly string[]
  readonly login: string | null
  readonly trace: any
}

/** One "browser": its cookies and its login token, carried like the session client carries them. */
export class ApiClient {
  readonly cookies = new Map<string, string>()
  login: string | undefined
  readonly base: string

  constructor(base: string) {
    this.base = base
  }

  async send(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    if (this.login !== undefined && headers.login === undefined) headers.login = this.login
    if (init.body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(this.base + path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(10_000),
    })
    const setCookies = response.headers.getSetCookie()
    for (const line of setCookies) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at)
      const value = pair.slice(at + 1)
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const login = response.headers.get('login')
    if (login === 'cleared') this.login = undefined
    else if (login !== null) this.login = login
    const text = await response.text()
    const trace = response.headers.get('x-playground-trace')
    return {
      status: response.status,
      body: text === '' ? null : JSON.parse(text),
      setCookies,
      login,
      trace: trace === null ? null : JSON.parse(trace),
    } satisfies Reply
  }
}
