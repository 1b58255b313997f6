import type { IncomingMessage, ServerResponse } from 'node:http'

/** Request bodies the API accepts, at most (its bodies are a SKU, a user id or a short note). */
export const MAX_BODY_BYTES = 16 * 1024

/** A request body over {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError'
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * A WHATWG Request for a node:http request, so the API's fetch-style handlers can serve it. The
 * URL is built on the server's own origin, never on the Host header. Fine for a demo's API calls;
 * the engine itself never needs this (`@tessera/node/http` reads headers in place).
 *
 * @example const request = await toRequest(req, 'http://127.0.0.1:4173')
 */
export async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const each of value) headers.append(name, each)
    else headers.set(name, value)
  }
  const method = req.method ?? 'GET'
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, MAX_BODY_BYTES)
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: body && body.length > 0 ? new Uint8Array(body) : undefined,
  })
}

/**
 * Writes a WHATWG Response to a node:http response: status, headers (each Set-Cookie on its own
 * line) and body.
 *
 * @example await sendResponse(res, Response.json({ ok: true }), req.method)
 */
export async function sendResponse(res: ServerResponse, response: Response, method = 'GET'): Promise<void> {
  res.statusCode = response.status
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  const body = method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer())
  if (body) res.setHeader('content-length', body.length)
  res.end(body)
}
