import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { listen } from './listen'
import type { Harness } from './sessions'

/** Turns a node:http request into a WHATWG Request (test plumbing only: the adapters never do this). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.set(name, value)
  }
  return new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers })
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/** Serves a fetch-style handler on a real node:http server on 127.0.0.1, as Bun.serve or Deno.serve would. */
export function serveFetch(handler: (request: Request) => Promise<Response>): Promise<Harness> {
  return listen(
    createServer((req, res) => {
      handler(toRequest(req)).then(
        (response) => send(response, res),
        () => {
          res.statusCode = 599
          res.end()
        },
      )
    }),
  )
}
