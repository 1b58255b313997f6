import { isSessionError } from '@tessera/core'
import { readCookie } from '@tessera/core/internal'
import { useState } from 'react'
import { serverCheck, vaultStatus } from '../components/checks'
import type { Check } from '../components/inspector'
import { Inspector } from '../components/inspector'
import { Panel } from '../components/panel'
import type { ApiResult } from '../lib/api-client'
import type { PlaygroundClient } from '../lib/playground-context'
import { useNowSeconds, usePlayground } from '../lib/playground-context'
import { useServerCalls } from '../lib/use-server-calls'
import { Vault } from '../shared/sessions'

/** What `client.get(Vault)` does in the browser: it is a type error, and it throws at run time. */
async function tryToReadVault(client: PlaygroundClient): Promise<string> {
  try {
    // @ts-expect-error Vault is sealed and server-only: the client refuses to read it, by type and at run time
    await client.get(Vault)
    return 'client.get(Vault) returned a value (it should not)'
  } catch (error) {
    return isSessionError(error) ? `client.get(Vault) throws ${error.code}: ${error.message}` : String(error)
  }
}

/** A sealed, HttpOnly cookie: the page can neither see nor open it; only the server can. */
export function VaultPanel() {
  const { client, config, offline } = usePlayground()
  const now = useNowSeconds()
  const { call, log, view, report, busy } = useServerCalls('vault')
  const [note, setNote] = useState('Meet at the fountain at noon.')
  const [echo, setEcho] = useState<string | null>(null)
  const [clientAnswer, setClientAnswer] = useState<string | null>(null)
  const [status, setStatus] = useState('Nothing sealed yet, or not asked.')
  const inDocument = readCookie(document.cookie, 'vault') !== undefined

  /** Keeps the last token the server reported for the inspector: written, cleared, or as received. */
  const run = async (label: string, path: string, options?: Parameters<typeof call>[2]) => {
    const result: ApiResult = await call(label, path, options)
    const written = result.trace?.cookies.filter((cookie) => cookie.name === 'vault').at(-1)
    if (written) setEcho(written.value)
    else if (result.body.report) setEcho(result.body.report.received)
    setStatus(vaultStatus(result))
    return result
  }

  const pageChecks: Check[] = [
    {
      label: 'document.cookie',
      tone: inDocument ? 'bad' : 'ok',
      text: inDocument
        ? 'shows a vault cookie (it should not)'
        : offline
          ? 'has no vault cookie: offline, msw keeps it in its own jar in this page'
          : 'has no vault cookie: it is HttpOnly, so scripts never see it',
      testId: 'vault-document-check',
    },
    {
      label: 'client.get',
      tone: clientAnswer === null ? 'none' : 'ok',
      text: clientAnswer ?? 'press “Try to read it here”',
      testId: 'vault-client-check',
    },
    serverCheck('vault', view, echo, 'opened the box (authenticated encryption) and read the note'),
  ]

  return (
    <Panel
      id="vault"
      title="Vault"
      kind="stateless cookie · sealed (XSalsa20-Poly1305) · HttpOnly · server-only"
      intro={
        <>
          The note travels in the <code>vault</code> cookie, encrypted with a key only the server holds, in a
          cookie scripts cannot read. This page cannot see the cookie, and if it could, it could not open it.
          Only the server&apos;s answers reveal the note.
        </>
      }
      inspector={
        <Inspector
          session="vault"
          transport="cookie"
          token={echo}
          source={
            offline
              ? 'read from msw’s cookie jar by the offline glue, for this inspector'
              : 'echoed by the playground’s server for this inspector: the page cannot read it'
          }
          now={now}
          report={report}
          log={log}
          checks={pageChecks}
          value={{ text: report?.value ?? null, by: 'as the server opened it' }}
        />
      }
    >
      <label className="note">
        A note for the vault
        <textarea value={note} maxLength={200} rows={2} onChange={(event) => setNote(event.target.value)} />
      </label>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={busy || note.trim() === ''}
          onClick={() => run('Seal the note', '/api/vault', { method: 'POST', body: { note } })}
        >
          Seal it (server)
        </button>
        <button type="button" disabled={busy} onClick={() => run('Open it (server)', '/api/vault')}>
          Ask the server to open it
        </button>
        <button type="button" onClick={async () => setClientAnswer(await tryToReadVault(client))}>
          Try to read it here
        </button>
      </div>
      <p className="status-line" data-testid="vault-status">
        {status}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => run('Tampered on arrival', '/api/vault', { tamper: 'vault' })}
          data-testid="vault-tamper"
        >
          Tamper: flip a character on arrival
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => run('Reissue for 10 s', '/api/vault/reissue', { method: 'POST', short: true })}
        >
          Expire in {config.shortLifetime} s
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => run('Forget it', '/api/vault', { method: 'DELETE' })}
        >
          Forget it
        </button>
      </div>
      <p className="muted small">
        The page cannot change an HttpOnly cookie, so “tamper” asks the server to flip one character of the
        token as it arrives, before the engine reads it.
      </p>
    </Panel>
  )
}
