import type { AnySessionDescriptor } from '@tessera/core'
import type { RequireSessionOptions } from '../auth/session-auth'
import { requireSession as requireFetchSession } from '../fetch/require-session'

/**
 * Makes a guard for Next's middleware and Route Handlers: it resolves to null when the request has a
 * valid session of `descriptor`, and otherwise to the response to return (401, or a redirect). Next
 * refuses a relative `Location` from middleware, so a relative `redirect` is resolved against the
 * request's URL. The request must come through `withSessions`.
 *
 * @example
 * // middleware.ts
 * const requireLogin = requireSession(Login, { redirect: '/login' })
 * export function middleware(request: NextRequest) {
 *   return withSessions(sessions, async (req: NextRequest) => (await requireLogin(req)) ?? NextResponse.next())(request)
 * }
 */
export function requireSession<TDescriptor extends AnySessionDescriptor>(
  descriptor: TDescriptor,
  options?: RequireSessionOptions<TDescriptor>,
): (request: Request) => Promise<Response | null> {
  const guard = requireFetchSession(descriptor, options)
  return async function guardNextRequest(request) {
    const denied = await guard(request)
    const location = denied?.headers.get('location')
    if (denied === null || location === null || location === undefined) return denied
    return new Response(null, {
      status: denied.status,
      headers: { location: new URL(location, request.url).href },
    })
  }
}
