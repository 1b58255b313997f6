// A Route Handler that takes the Request: withSessions gives it the request's sessions and writes
// what it changed on the Response it returns.
import { sessionsOf, withSessions } from '@tessera/node/next'
import { sessions } from '../../../lib/engine'
import { Cart, Login } from '../../../lib/sessions'

/** The cart as JSON (401 without a login); `DELETE` empties it. */
async function cart(request: Request): Promise<Response> {
  const current = sessionsOf(request)
  if ((await current.get(Login)) === null) return Response.json({ error: 'sign in first' }, { status: 401 })
  if (request.method === 'DELETE') await current.clear(Cart)
  return Response.json({ cart: await current.get(Cart) })
}

// The engine is asked for per request: `next build` loads this module without the secret.
export function GET(request: Request): Promise<Response> {
  return withSessions(sessions(), cart)(request)
}

export function DELETE(request: Request): Promise<Response> {
  return withSessions(sessions(), cart)(request)
}
