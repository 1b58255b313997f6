import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import * as root from '../src'
import {
  cookie,
  createSessions,
  defineSession,
  nodeCrypto,
  SessionError,
  SessionErrorCode,
  sessionErrorResponse,
  sessionErrorStatus,
} from '../src'
import { createSessionGuard } from '../src/auth/session-auth'
import * as express from '../src/express'
import * as fastify from '../src/fastify'
import * as fetchEntry from '../src/fetch'
import * as http from '../src/http'

describe('public surface', () => {
  it('exports these names from each entry', () => {
    const names = (entry: object) => Object.keys(entry).sort()
    expect({
      root: names(root),
      http: names(http),
      express: names(express),
      fastify: names(fastify),
      fetch: names(fetchEntry),
    }).toMatchInlineSnapshot(`
      {
        "express": [
          "expressSessions",
          "requireSession",
          "sessionErrorHandler",
        ],
        "fastify": [
          "fastifySessions",
          "requireSession",
        ],
        "fetch": [
          "requireSession",
          "respondToSessionError",
          "sessionsOf",
          "withSessions",
        ],
        "http": [
          "requireSession",
          "withSessions",
        ],
        "root": [
          "InvalidReason",
          "SessionError",
          "SessionErrorCode",
          "cookie",
          "createSessions",
          "defineSession",
          "header",
          "isSessionError",
          "jsonCodec",
          "memoryStorage",
          "nodeCrypto",
          "sessionErrorResponse",
          "sessionErrorStatus",
          "superjsonCodec",
        ],
      }
    `)
  })
})

describe('the fetch entry', () => {
  it('imports no node: module, directly or through its relative imports (it runs on Bun, Deno and edges)', () => {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const source = readFileSync(file, 'utf8')
      for (const [, specifier] of source.matchAll(/from '([^']+)'/g)) {
        expect(specifier, file).not.toMatch(/^node:/)
        if (specifier!.startsWith('.'))
          visit(`${resolve(dirname(file), specifier!)}.ts`.replace(/\/index\.ts\.ts$/, '/index.ts'))
      }
    }
    visit(fileURLToPath(new URL('../src/fetch/index.ts', import.meta.url)))
    expect(seen.size).toBeGreaterThanOrEqual(4)
  })
})

describe('createSessions', () => {
  it('uses node:crypto unless told otherwise', async () => {
    const Signed = defineSession<{ n: number }>()('signed-default', { protection: 'signed' })
    const hmac = vi.spyOn(nodeCrypto, 'hmacSha256')
    try {
      const engine = createSessions({ secret: 'x'.repeat(32), sessions: [cookie(Signed)] })
      const lines: string[] = []
      const sessions = engine.open({
        requestHeader: () => undefined,
        appendHeader: (_name, value) => lines.push(value),
        setHeader: () => undefined,
        headersSent: () => false,
        isSecure: () => false,
      })
      await sessions.set(Signed, { n: 1 })
      sessions.commit()
      expect(hmac).toHaveBeenCalledTimes(1)
      expect(lines[0]).toMatch(/^signed-default=v1\.s\.0\./)
    } finally {
      hmac.mockRestore()
    }
  })

  it('refuses a short secret and duplicate names with typed errors', () => {
    const A = defineSession('a')
    expect(() => createSessions({ secret: 'short', sessions: [A] })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    )
    expect(() => createSessions({ secret: 'x'.repeat(32), sessions: [A, defineSession('a')] })).toThrow(
      expect.objectContaining({ code: 'DUPLICATE' }),
    )
  })
})

describe('the error status table', () => {
  it('has a status for every code: 503 for storage, 409 for conflicts, 400/410 for data tokens, 500 for the rest', () => {
    expect(Object.keys(sessionErrorStatus).sort()).toEqual(Object.keys(SessionErrorCode).sort())
    const special = {
      STORAGE_UNAVAILABLE: 503,
      CONFLICT: 409,
      TOKEN_INVALID: 400,
      TOKEN_EXPIRED: 410,
      TOKEN_USED: 410,
    }
    for (const [code, status] of Object.entries(special))
      expect(sessionErrorStatus[code as 'CONFLICT']).toBe(status)
    const rest = Object.entries(sessionErrorStatus).filter(([code]) => !(code in special))
    expect(new Set(rest.map(([, status]) => status))).toEqual(new Set([500]))
  })

  it('answers with a body that holds the code of actionable errors and nothing of the message', () => {
    const storage = new SessionError(
      'STORAGE_UNAVAILABLE',
      'session "login": the storage failed (Error) id=abc',
    )
    expect(sessionErrorResponse(storage)).toEqual({ status: 503, body: '{"error":"STORAGE_UNAVAILABLE"}' })
    expect(sessionErrorResponse(new SessionError('CONFLICT', 'x'))).toEqual({
      status: 409,
      body: '{"error":"CONFLICT"}',
    })
    expect(sessionErrorResponse(new SessionError('INVALID_KEY', 'the secret is short'))).toEqual({
      status: 500,
      body: '{"error":"SESSION_ERROR"}',
    })
  })

  it('recognises session errors of another copy of tessera, and ignores every other error', () => {
    const foreign = Object.assign(new Error('m'), {
      code: 'CONFLICT',
      [Symbol.for('tessera.SessionError')]: true,
    })
    expect(sessionErrorResponse(foreign)?.status).toBe(409)
    const newer = Object.assign(new Error('m'), {
      code: 'SOMETHING_NEW',
      [Symbol.for('tessera.SessionError')]: true,
    })
    expect(sessionErrorResponse(newer)).toEqual({ status: 500, body: '{"error":"SESSION_ERROR"}' })
    expect(sessionErrorResponse(Object.assign(new Error('m'), { code: 'CONFLICT' }))).toBeUndefined()
    expect(sessionErrorResponse('CONFLICT')).toBeUndefined()
  })
})

describe('requireSession challenges', () => {
  const Login = root.defineSession<{ id: string }>()('login')
  /** Sessions without a valid session of Login, as a request without the cookie has. */
  const noSession = { get: async () => null } as any
  const challengeOf = async (options: object) => {
    const outcome = await createSessionGuard(Login, options as any, '').check(noSession)
    if (outcome.passed) throw new Error('expected a challenge')
    return outcome.challenge
  }

  it('answers 401 by default and redirects when asked', async () => {
    expect(await challengeOf({})).toEqual({
      status: 401,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"error":"UNAUTHENTICATED"}',
    })
    expect(await challengeOf({ redirect: '/login?next=%2F' })).toEqual({
      status: 302,
      headers: { location: '/login?next=%2F' },
      body: '',
    })
  })

  it('refuses a redirect target that could split the header', () => {
    for (const redirect of ['', '/a\r\nset-cookie: x=1', '/a\u0000']) {
      expect(() => createSessionGuard(Login, { redirect }, '')).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      )
    }
  })

  it('renders a custom challenge: JSON for objects, text for strings, headers kept', async () => {
    expect(await challengeOf({ challenge: { status: 403, body: { error: 'LOGIN' } } })).toEqual({
      status: 403,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"error":"LOGIN"}',
    })
    expect(
      await challengeOf({
        challenge: () => ({ status: 418, body: 'no', headers: { 'WWW-Authenticate': 'Session' } }),
      }),
    ).toEqual({
      status: 418,
      headers: { 'www-authenticate': 'Session', 'content-type': 'text/plain; charset=utf-8' },
      body: 'no',
    })
  })

  it('refuses a challenge that cannot be sent safely, both challenge and redirect, and unknown options', async () => {
    const refused = expect.objectContaining({ code: 'INVALID_OPTION' })
    for (const challenge of [
      { status: 200 },
      { status: 4011 },
      { status: 401, headers: { 'x-a': 'a\r\nb: c' } },
    ]) {
      expect(() => createSessionGuard(Login, { challenge }, '')).toThrow(refused)
    }
    await expect(challengeOf({ challenge: () => ({ status: 99 }) })).rejects.toThrow(refused)
    expect(() => createSessionGuard(Login, { redirect: '/l', challenge: { status: 401 } }, '')).toThrow(
      refused,
    )
    expect(() => createSessionGuard(Login, { redirct: '/l' } as any, '')).toThrow(refused)
  })
})
