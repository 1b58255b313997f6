import { readSessions } from '@tessera/node/next'
import Link from 'next/link'
import { sessions } from '../lib/engine'
import { Login } from '../lib/sessions'

export default async function Home() {
  const login = await (await readSessions(sessions())).get(Login)
  return (
    <main>
      <h1>tessera with Next.js</h1>
      <p data-testid="status">{login ? `Signed in as ${login.user}` : 'Signed out'}</p>
      <Link href="/account">Your account</Link>
    </main>
  )
}
