import type { SessionIO } from '@tessera/core'
import { forwardedHttps } from '../forwarded-proto'

/** What the IO reads the request from: the `headers()` of next/headers. */
export interface RequestHeaderSource {
  get(name: string): string | null
}

/**
 * The {@link SessionIO} of a Server Component, a Server Action or a Route Handler: request headers
 * from `headers()`; response headers collected here, for `writeSessions` to hand to `cookies()`.
 */
export class NextSessionIO implements SessionIO {
  /** The Set-Cookie lines the engine wrote, in order. */
  readonly setCookies: string[] = []
  /** Response headers other than Set-Cookie (a header session's token): Next has no way to send them here. */
  readonly otherHeaders: string[] = []
  #done = false

  constructor(private readonly requestHeaders: RequestHeaderSource) {}

  requestHeader(name: string): string | undefined {
    return this.requestHeaders.get(name) ?? undefined
  }

  appendHeader(name: string, value: string): void {
    if (name === 'set-cookie') this.setCookies.push(value)
    else this.otherHeaders.push(name)
  }

  setHeader(name: string): void {
    this.otherHeaders.push(name)
  }

  headersSent(): boolean {
    return this.#done
  }

  /**
   * Next's server fills `X-Forwarded-Proto` with the scheme it was reached by, so it decides `Secure`
   * for cookies whose `secure` is `'auto'`; set `secure: true` to require it whatever the request.
   */
  isSecure(): boolean {
    return forwardedHttps(this.requestHeaders.get('x-forwarded-proto') ?? undefined)
  }

  /** Marks the response as written: later writes throw `RESPONSE_COMMITTED`. */
  finish(): void {
    this.#done = true
  }
}
