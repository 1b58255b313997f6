import { sessionsOf, withSessions } from '@tessera/node/react-router'
import { redirect } from 'react-router'
import { Cart, Login } from '../sessions'
import { sessions } from '../sessions.server'
import type { Route } from './+types/logout'

export const action = withSessions(sessions, async ({ request }: Route.ActionArgs) => {
  await sessionsOf(request).clear(Login)
  await sessionsOf(request).clear(Cart)
  return redirect('/login')
})
