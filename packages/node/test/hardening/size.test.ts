/**
 * Cookie size over real HTTP, through each adapter (node:http, Express, Fastify, fetch): a value whose
 * cookie would pass 4096 bytes fails at `set` with `TOO_LARGE`, answered 500 from the error table
 * with no value in the body and no cookie written; with chunking it is split into cookies of at most
 * 4096 bytes and reassembled, and a missing chunk reads as absent.
 */
import { createServer } from 'node:http'
import express from 'express'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestSessions, SessionEngine } from '../../src'
import { cookie, createSessions, defineSession, isSessionError } from '../../src'
import { expressSessions, sessionErrorHandler } from '../../src/express'
import { fastifySessions } from '../../src/fastify'
import { sessionsOf, withSessions as withFetchSessions } from '../../src/fetch'
import { withSessions } from '../../src/http'
import { serveFetch } from '../adapters/fetch-server'
import { listen } from '../adapters/listen'
import { type Server, send, serve } from './helpers/http'

const SECRET = 'hardening size suite: a secret of 32+ bytes'
const MARKER = 'VALUE-MUST-NOT-LEAK'
const Big = defineSession<{ blob: string }>()('big', { protection: 'signed' })
const Chunked = defineSession<{ blob: string }>()('chunked', { protection: 'sealed' })

/** A value of about `length` characters that starts with a marker the body must never show. */
const blob = (length: number) => MARKER + 'x'.repeat(Math.max(0, length - MARKER.length))

/** Routes every adapter serves: set `big` or `chunked` to a blob of `?n=` characters, or read it. */
async function route(sessions: RequestSessions, method: string, url: URL): Promise<unknown> {
  const descriptor = url.pathname.endsWith('chunked') ? Chunked : Big
  if (method === 'POST') {
    await sessions.set(descriptor, { blob: blob(Number(url.searchParams.get('n'))) })
    return 'set'
  }
  return sessions.get(descriptor)
}

const ADAPTERS: Record<string, (engine: SessionEngine) => Promise<Server>> = {
  'node:http': (engine) =>
    serve(
      withSessions(engine, async (req, res) => {
        const url = new URL(req.url!, 'http://127.0.0.1')
        const value = await route(req.sessions, req.method!, url)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value }))
      }),
    ),
  express: async (engine) => {
    const app = express()
    app.use(expressSessions(engine))
    app.all(/.*/, (req, res, next) => {
      route(req.sessions, req.method, new URL(req.url, 'http://127.0.0.1'))
        .then((value) => res.json({ value }))
        .catch(next)
    })
    app.use(sessionErrorHandler())
    return listen(createServer(app))
  },
  fastify: async (engine) => {
    const app = Fastify()
    await app.register(fastifySessions(engine))
    app.all('/*', async (request) => ({
      value: await route(request.sessions, request.method, new URL(request.url, 'http://127.0.0.1')),
    }))
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    return { url, close: () => app.close() }
  },
  fetch: (engine) =>
    serveFetch(
      withFetchSessions(engine, async (request: Request) =>
        Response.json({ value: await route(sessionsOf(request), request.method, new URL(request.url)) }),
      ),
    ),
}
const engine = createSessions({
  secret: SECRET,
  sessions: [cookie(Big), cookie(Chunked, { chunking: true })],
})
const servers: Record<string, Server> = {}
beforeAll(async () => {
  for (const [name, start] of Object.entries(ADAPTERS)) servers[name] = await start(engine)
})
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()))
})

/** `name=value` length of each Set-Cookie line: what the browser limit counts. */
const pairLengths = (lines: string[]) => lines.map((line) => Buffer.byteLength(line.split(';', 1)[0]!))

describe('a cookie over 4096 bytes', () => {
  it('the largest value that fits is written in one cookie of at most 4096 bytes, one character more is TOO_LARGE (found by bisection over HTTP)', async () => {
    const server = servers['node:http']!
    let fits = 100
    let fails = 8000
    while (fails - fits > 1) {
      const n = (fits + fails) >> 1
      const reply = await send(server, 'POST', `/big?n=${n}`)
      if (reply.status === 200) {
        expect(pairLengths(reply.setCookies)[0]).toBeLessThanOrEqual(4096)
        fits = n
      } else {
        expect(reply.status).toBe(500)
        fails = n
      }
    }
    const last = await send(server, 'POST', `/big?n=${fits}`)
    expect(pairLengths(last.setCookies)).toHaveLength(1)
    // Base64url grows by 4/3, so the edge lands within a few bytes of the limit.
    expect(pairLengths(last.setCookies)[0]).toBeGreaterThan(4090)
    console.log(
      `[hardening] size: the largest value in one cookie is ${fits} characters (cookie ${pairLengths(last.setCookies)[0]} bytes)`,
    )
  })

  for (const adapter of Object.keys(ADAPTERS)) {
    it(`${adapter}: TOO_LARGE at set is a 500 from the error table, no value in the body, no cookie`, async () => {
      const reply = await send(servers[adapter]!, 'POST', '/big?n=6000')
      expect(reply.status).toBe(500)
      expect(reply.text).not.toContain(MARKER)
      expect(reply.text).not.toContain('xxxxxxxx')
      expect(reply.setCookies).toEqual([])
      // Fastify's own error handler formats its body; the others answer the table's body.
      if (adapter !== 'fastify') expect(reply.body).toEqual({ error: 'SESSION_ERROR' })
    })
  }

  it('the error itself is TOO_LARGE and names no value', async () => {
    const sessions = engine.open({
      requestHeader: () => undefined,
      appendHeader: () => {},
      setHeader: () => {},
      headersSent: () => false,
      isSecure: () => false,
    })
    const error = await sessions.set(Big, { blob: blob(6000) }).catch((caught: unknown) => caught)
    expect(isSessionError(error, 'TOO_LARGE')).toBe(true)
    expect((error as Error).message).not.toContain(MARKER)
  })
})

describe('chunking over real HTTP', () => {
  for (const adapter of Object.keys(ADAPTERS)) {
    it(`${adapter}: a 9,000-character sealed value goes out in cookies of at most 4096 bytes and comes back whole; a missing chunk is absent`, async () => {
      const server = servers[adapter]!
      const set = await send(server, 'POST', '/chunked?n=9000')
      expect(set.status).toBe(200)
      expect([...set.cookies.keys()]).toEqual(['chunked', 'chunked.1', 'chunked.2'])
      for (const length of pairLengths(set.setCookies)) expect(length).toBeLessThanOrEqual(4096)
      const jar = [...set.cookies].map(([name, value]) => `${name}=${value}`)
      const back = await send(server, 'GET', '/chunked', { cookie: jar.join('; ') })
      expect(back.body.value).toEqual({ blob: blob(9000) })
      expect(back.setCookies).toEqual([]) // a read writes nothing
      for (const missing of [1, 2]) {
        const partial = await send(server, 'GET', '/chunked', {
          cookie: jar.filter((_, i) => i !== missing).join('; '),
        })
        expect(partial.body.value).toBeNull()
        // The broken set is cleared: the first cookie and the chunk the browser still has.
        expect(partial.cookies.get('chunked')).toBe('')
      }
      const tooMany = await send(server, 'POST', '/chunked?n=13000') // needs 4 chunks, over the default of 3
      expect(tooMany.status).toBe(500)
      expect(tooMany.text).not.toContain(MARKER)
      expect(tooMany.setCookies).toEqual([])
    })
  }
})
