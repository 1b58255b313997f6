import { createSessionClient } from '@tessera/browser'
import { isSessionError } from '@tessera/core'
import { encodeBase64url, readCookie } from '@tessera/core/internal'
import { useEffect, useMemo, useState } from 'react'
import { browserCheck, serverCheck } from '../components/checks'
import { Inspector } from '../components/inspector'
import { Panel } from '../components/panel'
import type { BrowserRead } from '../lib/browser-reads'
import { useNowSeconds, usePlayground } from '../lib/playground-context'
import { useServerCalls } from '../lib/use-server-calls'
import { describeValue } from '../shared/describe-value'
import type { PrefsValue } from '../shared/sessions'
import { Prefs, ShortLived } from '../shared/sessions'
import { flipCharacter } from '../shared/tamper'

const DEFAULTS: PrefsValue = { theme: 'light', accent: 'teal', fontSize: 16 }

/** A value the schema refuses: a theme it does not know and a font size past its maximum. */
const REFUSED = { theme: 'neon', accent: 'teal', fontSize: 40 }

/** Shows the preferences on the page itself: theme, accent and text size. */
function usePrefsOnPage(prefs: PrefsValue | null): void {
  useEffect(() => {
    const root = document.documentElement
    const applied = prefs ?? DEFAULTS
    root.dataset.theme = applied.theme
    root.dataset.accent = applied.accent
    root.style.setProperty('--font-size', `${applied.fontSize}px`)
  }, [prefs])
}

/** Preferences the browser writes itself (unsigned) and the server reads through the schema. */
export function PrefsPanel() {
  const { client, config, refusals } = usePlayground()
  const now = useNowSeconds()
  const { call, log, view, report, busy } = useServerCalls('prefs')
  const [, setCookieVersion] = useState(0)
  const [form, setForm] = useState<PrefsValue>(DEFAULTS)
  const [message, setMessage] = useState<string | null>(null)
  const token = readCookie(document.cookie, 'prefs') ?? null
  const [read, setRead] = useState<BrowserRead<PrefsValue>>({ token: null, value: null, reason: null })
  // A second client, for the "expire" button only: it writes Prefs with a 10-second lifetime, in a
  // cookie kept a week so that the page and the server still see the token once it has expired.
  const shortClient = useMemo(
    () => createSessionClient({ sessions: [{ descriptor: ShortLived.Prefs, options: { maxAge: '7d' } }] }),
    [],
  )
  useEffect(() => () => shortClient.close(), [shortClient])

  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` re-runs the read every second, as a cached value turns null at its expiry
  useEffect(() => {
    let current = true
    void refusals.read('prefs', token, () => client.get(Prefs)).then((next) => current && setRead(next))
    return () => {
      current = false
    }
  }, [client, refusals, token, now])
  const currentRead: BrowserRead<PrefsValue> =
    read.token === token ? read : { token, value: null, reason: null }
  const prefs = currentRead.value
  usePrefsOnPage(prefs)
  const bump = () => setCookieVersion((n) => n + 1)

  const save = async () => {
    try {
      await client.set(Prefs, form)
      setMessage('Written by this page with client.set(Prefs, …): schema-checked, then a v1 none token.')
    } catch (error) {
      setMessage(
        isSessionError(error) ? `client.set refused it (${error.code}): ${error.message}` : 'could not write',
      )
    }
    bump()
  }

  /** What any script could do: write a `none` token by hand, skipping the client's schema check. */
  const writeRefused = async () => {
    const text = await Prefs.codec.encode(REFUSED as unknown as PrefsValue)
    const iat = Math.floor(Date.now() / 1000)
    const forged = `v1.n.${iat}.${iat + 3600}.${encodeBase64url(new TextEncoder().encode(text))}`
    // biome-ignore lint/suspicious/noDocumentCookie: the demo writes the cookie by hand, past the client
    document.cookie = `prefs=${forged}; path=/; max-age=3600; samesite=lax`
    setMessage('Wrote { theme: "neon", fontSize: 40 } by hand, past the client. Now ask the server.')
    bump()
  }

  const tamper = () => {
    if (!token) return
    // biome-ignore lint/suspicious/noDocumentCookie: the demo changes the cookie the way any script could
    document.cookie = `prefs=${flipCharacter(token)}; path=/; samesite=lax`
    bump()
  }

  const expireSoon = async () => {
    await shortClient.set(ShortLived.Prefs, prefs ?? form)
    setMessage(
      `Written with a ${config.shortLifetime}-second lifetime: watch the expiry, then ask the server.`,
    )
    bump()
  }

  return (
    <Panel
      id="prefs"
      title="Preferences"
      kind="stateless cookie · unsigned (none) · written by the page"
      intro={
        <>
          The page owns these: <code>client.set(Prefs, …)</code> checks them against the zod schema and writes
          a <code>none</code> token into the cookie, with no signature. The server treats them as untrusted
          input: its schema is the only gate, and a value it refuses reads as null and is cleared.
        </>
      }
      inspector={
        <Inspector
          session="prefs"
          transport="cookie"
          token={token}
          source="document.cookie"
          now={now}
          report={report}
          log={log}
          checks={[
            browserCheck(
              currentRead,
              now,
              'prefs',
              'decoded and passed the schema in this page (nothing to verify)',
            ),
            serverCheck('prefs', view, token, 'decoded it and it passed the schema'),
          ]}
          value={{ text: prefs ? describeValue(prefs) : null, by: 'decoded in this page' }}
        >
          <section>
            <h4>
              Value <span className="muted">(as the server read it)</span>
            </h4>
            <pre className="value" data-testid="prefs-server-value">
              {report ? (report.value ?? 'null') : '—'}
            </pre>
          </section>
        </Inspector>
      }
    >
      <form
        className="prefs-form"
        onSubmit={(event) => {
          event.preventDefault()
          void save()
        }}
      >
        <label>
          Theme
          <select
            value={form.theme}
            onChange={(event) => setForm({ ...form, theme: event.target.value as PrefsValue['theme'] })}
          >
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
        <label>
          Accent
          <select
            value={form.accent}
            onChange={(event) => setForm({ ...form, accent: event.target.value as PrefsValue['accent'] })}
          >
            <option value="teal">teal</option>
            <option value="amber">amber</option>
            <option value="violet">violet</option>
          </select>
        </label>
        <label>
          Text size
          <input
            type="number"
            value={form.fontSize}
            onChange={(event) => setForm({ ...form, fontSize: Number(event.target.value) })}
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Save in the browser
        </button>
      </form>
      {message && (
        <p className="status-line" data-testid="prefs-message">
          {message}
        </p>
      )}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => call('Ask the server', '/api/prefs')}>
          Ask the server
        </button>
        <button type="button" disabled={busy} onClick={writeRefused} data-testid="prefs-write-refused">
          Write a value the schema refuses
        </button>
        <button type="button" disabled={busy || !token} onClick={tamper}>
          Tamper: flip a character
        </button>
        <button type="button" disabled={busy} onClick={expireSoon}>
          Expire in {config.shortLifetime} s
        </button>
      </div>
    </Panel>
  )
}
