// Runs on the edge runtime before /account renders: reads (and renews) the login, and sends a
// visitor without one to the sign-in page.
import { requireSession, withSessions } from '@tessera/node/next'
import { type NextRequest, NextResponse } from 'next/server'
import { sessions } from './lib/engine'
import { Login } from './lib/sessions'

const requireLogin = requireSession(Login, { redirect: '/login' })

export function middleware(request: NextRequest) {
  return withSessions(
    sessions(),
    async (req: NextRequest) => (await requireLogin(req)) ?? NextResponse.next(),
  )(request)
}

export const config = { matcher: ['/account/:path*'] }
