import { useState } from 'react'
import { serverCheck } from '../components/checks'
import { Inspector } from '../components/inspector'
import { Panel } from '../components/panel'
import { useNowSeconds, usePlayground } from '../lib/playground-context'
import { parseToken } from '../lib/token-parts'
import { useServerCalls } from '../lib/use-server-calls'
import { flipCharacter } from '../shared/tamper'

/** Where the browser client keeps the login header's token: its default store, this tab's sessionStorage. */
const STORE_KEY = 'tessera:login'

/** The login: stored by the server, its signed id carried in a header by the client's fetch. */
export function LoginPanel() {
  const { config } = usePlayground()
  const now = useNowSeconds()
  const { call, log, view, report, busy } = useServerCalls('login')
  const [, setStoreVersion] = useState(0)
  const [ids, setIds] = useState<{ previous: string | null; current: string | null } | null>(null)
  const [ended, setEnded] = useState<number | null>(null)
  const token = sessionStorage.getItem(STORE_KEY)
  const idInToken = token ? parseToken(token).payload : null
  const signedIn = report !== null && report.value !== null

  const signIn = async (userId: string) => {
    const result = await call(`Sign in as ${userId}`, '/api/login', { method: 'POST', body: { userId } })
    if (result.body.report)
      setIds({ previous: result.body.previousId ?? null, current: result.body.report.id })
    setEnded(null)
  }
  const everywhere = async () => {
    const result = await call('Sign out everywhere', '/api/login/everywhere', { method: 'POST' })
    if (typeof result.body.ended === 'number') setEnded(result.body.ended)
  }
  const tamper = () => {
    if (!token) return
    sessionStorage.setItem(STORE_KEY, flipCharacter(token))
    setStoreVersion((n) => n + 1)
  }

  return (
    <Panel
      id="login"
      title="Login"
      kind="server-side storage · signed id in a header · carried by the client's fetch"
      intro={
        <>
          The user lives in the server&apos;s storage ({config.storage}); only a signed session id travels, in
          a <code>login</code> header that the browser client attaches to each <code>fetch</code> and replaces
          when a response brings a new one. Signing in regenerates the id (against session fixation), and the
          storage&apos;s owner index ends every session of a user at once.
        </>
      }
      inspector={
        <Inspector
          session="login"
          transport="header"
          token={token}
          source={`sessionStorage "${STORE_KEY}", kept by the client`}
          now={now}
          report={report}
          log={log}
          checks={[
            {
              label: 'this page',
              tone: 'none',
              text: token
                ? 'carries it but cannot check it: the HMAC key is the server’s alone'
                : 'holds no token',
              testId: 'login-browser-check',
            },
            serverCheck('login', view, token, 'verified the HMAC and found the id in its storage'),
          ]}
          value={{ text: report?.value ?? null, by: `as the server's ${config.storage} storage holds it` }}
        >
          <section>
            <h4>Session id</h4>
            <dl className="claims">
              <dt>in the token</dt>
              <dd>
                <code data-testid="login-token-id">{idInToken ?? '—'}</code>
              </dd>
              {ids && (
                <>
                  <dt>at the last sign-in</dt>
                  <dd data-testid="login-regenerated">
                    {ids.previous === null ? (
                      <>
                        new session <code>{ids.current}</code>
                      </>
                    ) : (
                      <>
                        <code className="strike">{ids.previous}</code> → <code>{ids.current}</code>{' '}
                        (regenerated, the old id no longer exists)
                      </>
                    )}
                  </dd>
                </>
              )}
            </dl>
          </section>
        </Inspector>
      }
    >
      <div className="users">
        {Object.entries(config.users).map(([userId, user]) => (
          <button key={userId} type="button" disabled={busy} onClick={() => signIn(userId)}>
            Sign in as {user.name.split(' ')[0]} <span className="muted">{user.roles.join(', ')}</span>
          </button>
        ))}
      </div>
      <p className="status-line" data-testid="login-status">
        {report === null
          ? 'Ask the server who you are.'
          : signedIn
            ? `Signed in: the server holds session ${report.id}.`
            : 'Not signed in.'}
        {ended !== null && (
          <span data-testid="login-ended"> Signed out everywhere: {ended} session(s) ended.</span>
        )}
      </p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => call('Who am I?', '/api/login')}>
          Ask the server
        </button>
        <button type="button" disabled={busy || !token} onClick={tamper} data-testid="login-tamper">
          Tamper: flip a character
        </button>
        <button
          type="button"
          disabled={busy || !token}
          onClick={() => call('Reissue for 10 s', '/api/login/reissue', { method: 'POST', short: true })}
        >
          Expire in {config.shortLifetime} s
        </button>
        <button
          type="button"
          disabled={busy || !token}
          onClick={() => call('Sign out', '/api/login', { method: 'DELETE' })}
        >
          Sign out
        </button>
        <button type="button" disabled={busy || !token} onClick={everywhere}>
          Sign out everywhere
        </button>
      </div>
    </Panel>
  )
}
