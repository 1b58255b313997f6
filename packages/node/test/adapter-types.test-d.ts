// Type tests, checked by `tsc -p tsconfig.json` (and by `vitest --typecheck`).
import express from 'express'
import Fastify from 'fastify'
import { describe, expectTypeOf, it } from 'vitest'
import type { RequestSessions, SessionEngine, SessionValue } from '../src'
import { cookie, createSessions } from '../src'
import { requireSession as requireExpressSession } from '../src/express'
import {
  requireSession as requireFetchSession,
  sessionsOf,
  withSessions as withFetchSessions,
} from '../src/fetch'
import type { SessionRequest } from '../src/http'
import { withSessions } from '../src/http'
import { Cart, Login, SECRET } from './adapters/sessions'

const engine: SessionEngine = createSessions({ secret: SECRET, sessions: [cookie(Cart), cookie(Login)] })

describe('adapter types', () => {
  it('types req.sessions on Express requests and request.sessions on Fastify requests', () => {
    const app = express()
    app.get('/cart', async (req) => {
      expectTypeOf(req.sessions).toEqualTypeOf<RequestSessions>()
      expectTypeOf(await req.sessions.get(Cart)).toEqualTypeOf<{ items: number } | null>()
      // @ts-expect-error a value of the wrong shape cannot be set
      await req.sessions.set(Cart, { items: 'many' })
    })
    const fastify = Fastify()
    fastify.get('/cart', async (request) => {
      expectTypeOf(request.sessions).toEqualTypeOf<RequestSessions>()
      return request.sessions.get(Cart)
    })
  })

  it('types the node:http request and the validate argument of requireSession', () => {
    withSessions(engine, (req) => {
      expectTypeOf(req).toEqualTypeOf<SessionRequest>()
      expectTypeOf(req.sessions).toEqualTypeOf<RequestSessions>()
    })
    requireExpressSession(Login, {
      validate(login) {
        expectTypeOf(login).toEqualTypeOf<{ userId: string; active: boolean }>()
        return login.active
      },
    })
  })

  it('keeps the request type and extra arguments of a fetch handler', () => {
    const handler = withFetchSessions(
      engine,
      async (request: Request, context: { params: { id: string } }) => {
        expectTypeOf(sessionsOf(request)).toEqualTypeOf<RequestSessions>()
        return Response.json(context.params.id)
      },
    )
    expectTypeOf(handler).toEqualTypeOf<
      (request: Request, context: { params: { id: string } }) => Promise<Response>
    >()
    const guard = requireFetchSession(Login)
    expectTypeOf(guard).toBeCallableWith(new Request('http://127.0.0.1/'))
    expectTypeOf(guard).returns.toEqualTypeOf<Promise<Response | null>>()
    expectTypeOf(guard.principal).returns.toEqualTypeOf<SessionValue<typeof Login>>()
    const typed = requireFetchSession(Login, {
      validate: (login) => (login ? { principalOf: login } : null),
    })
    expectTypeOf(typed.principal).returns.toEqualTypeOf<{ principalOf: SessionValue<typeof Login> }>()
    const checked = requireFetchSession(Login, { validate: () => true })
    expectTypeOf(checked.principal).returns.toEqualTypeOf<SessionValue<typeof Login>>()
  })
})
