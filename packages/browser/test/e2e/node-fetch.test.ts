// Header sessions on Node's own fetch (as in SSR, tests and CLIs) against real node:http servers on two
// loopback origins: where the session header goes across redirects, what is captured from where, and
// how a target given as an object resolves.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { runInNewContext } from 'node:vm'
import { defineSession, isSessionError } from '@tessera/core'
import { HEADER_CLEARED } from '@tessera/core/internal'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FetchLike } from '../../src'
import { createSessionClient } from '../../src'

const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })

const HELD = 'v1.s.0.1800000000.1800003600.aGVsZA.dGFnLWhlbGQ'
const FRESH = 'v1.s.0.1800000000.1800003600.ZnJlc2g.dGFnLWZyZXNo'
const EVIL = 'v1.s.0.1800000000.1800003600.ZXZpbA.dGFnLWV2aWw'

/** One request as a server received it. */
interface Seen {
  readonly method: string
  readonly path: string
  readonly login: string | undefined
  readonly authorization: string | undefined
  readonly contentType: string | undefined
  readonly body: string
}

type Answer = { status: number; headers?: Record<string, string>; body?: string }

/** A server on 127.0.0.1 that records every request and answers by path (200 and what it saw, by default). */
interface Origin {
  readonly url: string
  readonly seen: Seen[]
  readonly routes: Map<string, (seen: Seen) => Answer>
  close(): Promise<void>
}

async function startOrigin(): Promise<Origin> {
  const seen: Seen[] = []
  const routes = new Map<string, (seen: Seen) => Answer>()
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const header = (name: string) => req.headers[name] as string | undefined
    const one: Seen = {
      method: req.method ?? '',
      path: req.url ?? '',
      login: header('login'),
      authorization: header('authorization'),
      contentType: header('content-type'),
      body: Buffer.concat(chunks).toString('utf8'),
    }
    seen.push(one)
    const answer = routes.get(one.path)?.(one) ?? { status: 200, body: JSON.stringify(one) }
    res.writeHead(answer.status, answer.headers).end(answer.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    routes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

let app: Origin
let other: Origin

beforeAll(async () => {
  ;[app, other] = await Promise.all([startOrigin(), startOrigin()])
})
afterAll(async () => {
  await Promise.all([app?.close(), other?.close()])
})
afterEach(() => {
  app.seen.length = 0
  other.seen.length = 0
  app.routes.clear()
  other.routes.clear()
})

const redirect =
  (status: number, location: string, headers: Record<string, string> = {}) =>
  () => ({
    status,
    headers: { location, ...headers },
  })

/** A client that holds `token` (when given) in memory and sends header sessions to `origins`. */
function clientWith(origins: string[], token?: string) {
  const tokens = new Map<string, string>(token ? [['login', token]] : [])
  const client = createSessionClient({
    sessions: [
      {
        descriptor: Login,
        options: {
          store: {
            get: (name) => tokens.get(name),
            set: (name, value) => void tokens.set(name, value),
            delete: (name) => void tokens.delete(name),
          },
        },
      },
    ],
    origins,
  })
  return { client, token: () => tokens.get('login') }
}

describe("Node's fetch: a redirect out of the allowed origins", () => {
  it('is not followed: the other origin never sees the session header, and the call rejects with REDIRECT_BLOCKED', async () => {
    app.routes.set('/away', redirect(302, `${other.url}/landing`))
    const { client, token } = clientWith([app.url], HELD)
    const error = await client.fetch(`${app.url}/away`).catch((caught: unknown) => caught)
    expect(other.seen).toEqual([])
    expect(app.seen).toMatchObject([{ path: '/away', login: HELD }])
    expect(isSessionError(error, 'REDIRECT_BLOCKED')).toBe(true)
    // The message names neither the token nor where the redirect led.
    expect(String((error as Error).message)).not.toContain(HELD)
    expect(String((error as Error).message)).not.toContain(other.url)
    expect(token()).toBe(HELD)
  })

  it('whatever the status and method (301, 303, 307, 308; GET and POST)', async () => {
    const { client } = clientWith([app.url], HELD)
    for (const status of [301, 303, 307, 308]) {
      app.routes.set('/away', redirect(status, `${other.url}/landing`))
      for (const method of ['GET', 'POST']) {
        const error = await client
          .fetch(`${app.url}/away`, { method, ...(method === 'POST' && { body: 'secret form' }) })
          .catch((caught: unknown) => caught)
        expect(other.seen).toEqual([])
        expect(isSessionError(error, 'REDIRECT_BLOCKED')).toBe(true)
      }
    }
    expect(app.seen).toHaveLength(8)
  })

  it('a cleared marker the other origin would answer with does not sign the session out', async () => {
    app.routes.set('/away', redirect(302, `${other.url}/logout`))
    other.routes.set('/logout', () => ({ status: 200, headers: { login: HEADER_CLEARED } }))
    const { client, token } = clientWith([app.url], HELD)
    await expect(client.fetch(`${app.url}/away`)).rejects.toMatchObject({ code: 'REDIRECT_BLOCKED' })
    expect(other.seen).toEqual([])
    expect(token()).toBe(HELD)
  })

  it('without a session to carry, the redirect is followed, but a token in the other origin’s response is not taken', async () => {
    app.routes.set('/away', redirect(302, `${other.url}/landing`))
    other.routes.set('/landing', () => ({ status: 200, headers: { login: EVIL }, body: 'landed' }))
    const { client, token } = clientWith([app.url])
    const response = await client.fetch(`${app.url}/away`)
    expect(await response.text()).toBe('landed')
    expect(other.seen).toMatchObject([{ path: '/landing', login: undefined }])
    expect(token()).toBeUndefined()
  })

  it("the caller's redirect: 'manual' is kept: the redirect comes back unfollowed", async () => {
    app.routes.set('/away', redirect(302, `${other.url}/landing`))
    const { client } = clientWith([app.url], HELD)
    const response = await client.fetch(`${app.url}/away`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`${other.url}/landing`)
    expect(app.seen).toMatchObject([{ login: HELD }])
    expect(other.seen).toEqual([])
  })

  it('a wrapped fetch that ignores redirect is caught afterwards: REDIRECT_BLOCKED, nothing captured', async () => {
    app.routes.set('/away', redirect(302, `${other.url}/landing`))
    other.routes.set('/landing', () => ({ status: 200, headers: { login: EVIL } }))
    const { client, token } = clientWith([app.url], HELD)
    const careless = client.wrapFetch<FetchLike>((input, init) =>
      fetch(input, { ...init, redirect: 'follow' }),
    )
    await expect(careless(`${app.url}/away`)).rejects.toMatchObject({ code: 'REDIRECT_BLOCKED' })
    expect(token()).toBe(HELD)
    // The limit, shown on purpose: the fetch function followed the redirect, so the header went along.
    expect(other.seen).toMatchObject([{ login: HELD }])
  })
})

describe("Node's fetch: redirects inside the allowed origins", () => {
  it('a 303 after a POST is followed as a GET without the body, with the session header', async () => {
    app.routes.set('/login-form', redirect(303, '/home'))
    const { client } = clientWith([app.url], HELD)
    const response = await client.fetch(`${app.url}/login-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=u-1',
    })
    expect(response.status).toBe(200)
    expect(response.redirected).toBe(true)
    expect(response.url).toBe(`${app.url}/home`)
    expect(app.seen).toMatchObject([
      { method: 'POST', path: '/login-form', login: HELD, body: 'user=u-1' },
      { method: 'GET', path: '/home', login: HELD, contentType: undefined, body: '' },
    ])
  })

  it('a token the redirect itself sets replaces the held one and is carried on to where it leads', async () => {
    app.routes.set('/refresh', redirect(303, '/home', { login: FRESH }))
    const { client, token } = clientWith([app.url], HELD)
    await client.fetch(`${app.url}/refresh`, { method: 'POST', body: 'again' })
    expect(token()).toBe(FRESH)
    expect(app.seen).toMatchObject([
      { path: '/refresh', login: HELD },
      { path: '/home', login: FRESH },
    ])
  })

  it('307 and 308 keep the method and the body (a string, or a Request’s own)', async () => {
    app.routes.set('/keep', redirect(307, '/moved'))
    app.routes.set('/moved', redirect(308, '/echo'))
    const { client } = clientWith([app.url], HELD)
    await client.fetch(`${app.url}/keep`, { method: 'PUT', body: 'first' })
    await client.fetch(
      new Request(`${app.url}/keep`, {
        method: 'POST',
        body: '{"n":2}',
        headers: { 'content-type': 'application/json' },
      }),
    )
    expect(app.seen.map(({ method, path, login, body }) => ({ method, path, login, body }))).toEqual([
      { method: 'PUT', path: '/keep', login: HELD, body: 'first' },
      { method: 'PUT', path: '/moved', login: HELD, body: 'first' },
      { method: 'PUT', path: '/echo', login: HELD, body: 'first' },
      { method: 'POST', path: '/keep', login: HELD, body: '{"n":2}' },
      { method: 'POST', path: '/moved', login: HELD, body: '{"n":2}' },
      { method: 'POST', path: '/echo', login: HELD, body: '{"n":2}' },
    ])
    expect(app.seen.at(-1)?.contentType).toBe('application/json')
  })

  it('a streamed body is not sent twice: a 307 rejects as fetch does, a 303 goes on without it', async () => {
    app.routes.set('/keep', redirect(307, '/echo'))
    app.routes.set('/see-other', redirect(303, '/echo'))
    const { client } = clientWith([app.url], HELD)
    const stream = () => new Blob(['streamed']).stream()
    const init = { method: 'POST', duplex: 'half' } as RequestInit
    await expect(client.fetch(`${app.url}/keep`, { ...init, body: stream() })).rejects.toThrow(TypeError)
    const response = await client.fetch(`${app.url}/see-other`, { ...init, body: stream() })
    expect(response.status).toBe(200)
    expect(app.seen.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'POST', path: '/keep', body: 'streamed' },
      { method: 'POST', path: '/see-other', body: 'streamed' },
      { method: 'GET', path: '/echo', body: '' },
    ])
  })

  it('to another allowed origin it carries the session header, and drops Authorization as fetch does', async () => {
    app.routes.set('/to-other', redirect(302, `${other.url}/echo`))
    const { client } = clientWith([app.url, other.url], HELD)
    const response = await client.fetch(`${app.url}/to-other`, { headers: { authorization: 'Bearer abc' } })
    expect(response.url).toBe(`${other.url}/echo`)
    expect(app.seen).toMatchObject([{ login: HELD, authorization: 'Bearer abc' }])
    expect(other.seen).toMatchObject([{ login: HELD, authorization: undefined }])
  })

  it('gives up after 20 redirects, as fetch does', async () => {
    app.routes.set('/loop', redirect(302, '/loop'))
    const { client } = clientWith([app.url], HELD)
    await expect(client.fetch(`${app.url}/loop`)).rejects.toThrow(TypeError)
    expect(app.seen).toHaveLength(21)
  })
})

describe("Node's fetch: targets given as objects resolve where fetch sends them", () => {
  it('an object with toString goes by its string: a header to an allowed origin, none to another', async () => {
    const { client } = clientWith([app.url], HELD)
    await client.fetch({ toString: () => `${app.url}/echo` } as unknown as URL)
    await client.fetch({ toString: () => `${other.url}/echo` } as unknown as URL)
    expect(app.seen).toMatchObject([{ path: '/echo', login: HELD }])
    expect(other.seen).toMatchObject([{ path: '/echo', login: undefined }])
  })

  it('a URL-like object made in another vm context resolves to its real origin', async () => {
    const foreign = (href: string) =>
      runInNewContext(
        'class URL { constructor(href) { this.href = href } toString() { return this.href } }; new URL(href)',
        { href },
      ) as URL
    expect(foreign(app.url) instanceof URL).toBe(false)
    const { client } = clientWith([app.url], HELD)
    await client.fetch(foreign(`${app.url}/echo`))
    await client.fetch(foreign(`${other.url}/echo`))
    expect(app.seen).toMatchObject([{ path: '/echo', login: HELD }])
    expect(other.seen).toMatchObject([{ path: '/echo', login: undefined }])
  })
})
