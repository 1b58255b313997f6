import { signIn } from '../actions'

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams
  return (
    <main>
      <h1>Sign in</h1>
      <form action={signIn}>
        <label>
          Name <input name="user" data-testid="user" />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {error ? <p role="alert">a name of 1 to 20 letters a-z</p> : null}
    </main>
  )
}
