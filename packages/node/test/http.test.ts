import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession } from '../src'
import type { SessionRequest } from '../src/http'
import { requireSession, withSessions } from '../src/http'
import { cookieNamed, get } from './adapters/client'
import { listen } from './adapters/listen'
import { sessionSuite } from './adapters/session-suite'
import type { StartServer } from './adapters/sessions'
import { Cart, SECRET } from './adapters/sessions'

const startHttp: StartServer = async (engine, routes, { trustProxy }) => {
  const guards = new Map(
    Object.entries(routes).flatMap(([path, spec]) =>
      spec.requires ? [[path, requireSession(spec.requires.descriptor, spec.requires.options)] as const] : [],
    ),
  )
  const handler = async (req: SessionRequest, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const spec = routes[url.pathname]
    if (!spec) {
      res.statusCode = 404
      res.end()
      return
    }
    const guard = guards.get(url.pathname)
    if (guard && !(await guard(req, res))) return
    const principal = guard?.principal(req)
    const result = await spec.handler({ sessions: req.sessions, query: url.searchParams, principal })
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ result }))
    await spec.after?.(req.sessions)
  }
  return listen(createServer(withSessions(engine, handler, { trustProxy })))
}

sessionSuite('node:http', startHttp)

describe('node:http adapter details', () => {
  const engine = createSessions({ secret: SECRET, sessions: [cookie(Cart)] })

  it('commits before headers sent by writeHead, write or end, and keeps cookies the handler set itself', async () => {
    const server = await listen(
      createServer(
        withSessions(engine, async (req, res) => {
          await req.sessions.set(Cart, { items: 1 })
          res.appendHeader('set-cookie', 'own=1; Path=/')
          if (req.url === '/write-head') res.writeHead(201, { 'x-mode': 'head' }).end('a')
          else if (req.url === '/write') {
            res.write('partial')
            res.end()
          } else res.end('b')
        }),
      ),
    )
    try {
      for (const path of ['/write-head', '/write', '/end']) {
        const reply = await get(server.url, path)
        expect(cookieNamed(reply, 'cart').value).toMatch(/^v1\.x\./)
        expect(cookieNamed(reply, 'own').value).toBe('1')
      }
      expect((await get(server.url, '/write-head')).status).toBe(201)
    } finally {
      await server.close()
    }
  })

  it('rethrows errors that are not session errors, and answers session errors thrown synchronously', async () => {
    const seen: unknown[] = []
    const wrapped = withSessions(engine, (req) => {
      if (req.url === '/boom') throw new Error('app failure')
      void req.sessions
      throw Object.assign(new Error('not ours'), { code: 'STORAGE_UNAVAILABLE' })
    })
    const server = await listen(
      createServer((req, res) => {
        try {
          wrapped(req, res)
        } catch (error) {
          seen.push(error)
          res.statusCode = 599
          res.end()
        }
      }),
    )
    try {
      expect((await get(server.url, '/boom')).status).toBe(599)
      expect((await get(server.url, '/lookalike')).status).toBe(599)
      expect(seen.map((error) => (error as Error).message)).toEqual(['app failure', 'not ours'])
    } finally {
      await server.close()
    }
  })

  it('answers a conflict with 409 and a cookie over the browser limit with 500, through the table', async () => {
    const Counter = defineSession<{ n: number }>()('counter', { storage: 'server' })
    const Big = defineSession<{ text: string }>()('big')
    const racing = createSessions({
      secret: SECRET,
      sessions: [
        cookie(Counter, {
          storage: { read: async () => null, write: async () => null, invalidate: async () => undefined },
        }),
        cookie(Big),
      ],
    })
    const server = await listen(
      createServer(
        withSessions(racing, async (req, res) => {
          if (req.url === '/big') await req.sessions.set(Big, { text: 'x'.repeat(5000) })
          else await req.sessions.set(Counter, { n: 1 })
          res.end('unreachable')
        }),
      ),
    )
    try {
      const conflict = await get(server.url, '/counter')
      expect(conflict.status).toBe(409)
      expect(JSON.parse(conflict.text)).toEqual({ error: 'CONFLICT' })
      const big = await get(server.url, '/big')
      expect(big.status).toBe(500)
      expect(JSON.parse(big.text)).toEqual({ error: 'SESSION_ERROR' })
      expect(big.setCookies).toEqual([])
    } finally {
      await server.close()
    }
  })
})
