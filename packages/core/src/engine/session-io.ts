/**
 * What an adapter gives the engine for one request: read request headers, write response headers.
 * Implementations are a few lines per framework; none builds a WHATWG Request.
 */
export interface SessionIO {
  /** A request header by lowercase name (`cookie` for the Cookie header). */
  requestHeader(name: string): string | undefined
  /** Adds a response header line (each Set-Cookie is one). */
  appendHeader(name: string, value: string): void
  /** Sets a response header, replacing any value. */
  setHeader(name: string, value: string): void
  /** True once the response headers are sent. */
  headersSent(): boolean
  /** True when the request arrived over https; decides `Secure` when it is `'auto'`. */
  isSecure(): boolean
}

/** The value a header session's response header carries to tell the browser to drop its copy. */
export const HEADER_CLEARED = 'cleared'
