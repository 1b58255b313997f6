import { sessionsOf, withSessions } from '@tessera/node/react-router'
import { Form, redirect } from 'react-router'
import { Login } from '../sessions'
import { sessions } from '../sessions.server'
import type { Route } from './+types/login'

export const action = withSessions(sessions, async ({ request }: Route.ActionArgs) => {
  const user = String((await request.formData()).get('user') ?? '').trim()
  if (!/^[a-z]{1,20}$/.test(user)) return { error: 'a name of 1 to 20 letters a-z' }
  const current = sessionsOf(request)
  await current.set(Login, { user })
  await current.regenerate(Login) // a new identity at sign-in, against session fixation
  return redirect('/')
})

export default function LoginPage({ actionData }: Route.ComponentProps) {
  return (
    <main>
      <h1>Sign in</h1>
      <Form method="post">
        <label>
          Name <input name="user" data-testid="user" />
        </label>
        <button type="submit">Sign in</button>
      </Form>
      {actionData?.error ? <p role="alert">{actionData.error}</p> : null}
    </main>
  )
}
