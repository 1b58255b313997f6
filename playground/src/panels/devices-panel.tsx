import { useState } from 'react'
import type { DeviceRow } from '../api/devices'
import { Panel } from '../components/panel'
import { usePlayground } from '../lib/playground-context'
import { useServerCalls } from '../lib/use-server-calls'

/** A time of a listing, short; a dash when the storage did not record it. */
const time = (iso: string | null) => (iso === null ? '—' : new Date(iso).toLocaleString())

/**
 * The signed-in user's sessions across browsers: `engine.listSessions` through the storage's owner
 * index, each named by an opaque handle, and "sign out this device" with `engine.endSession`.
 */
export function DevicesPanel() {
  const { config } = usePlayground()
  const { call, busy } = useServerCalls('login')
  const [devices, setDevices] = useState<readonly DeviceRow[] | null>(null)
  const [status, setStatus] = useState('List the sessions of the user signed in above.')

  const list = async () => {
    const result = await call('List my devices', '/api/devices')
    setDevices(result.body.devices ?? null)
    setStatus(result.body.error ?? `${result.body.devices?.length ?? 0} session(s) of this user.`)
  }
  const end = async (row: DeviceRow) => {
    const label = row.metadata.device ?? 'this session'
    const result = await call(`Sign out ${label}`, '/api/devices/end', {
      method: 'POST',
      body: { handle: row.handle },
    })
    if (result.body.devices) setDevices(result.body.devices)
    setStatus(
      result.body.error ??
        (result.body.signedOut ? `Signed out ${label}.` : 'That session had already ended.'),
    )
  }

  return (
    <Panel
      id="devices"
      title="Devices"
      kind="the login's sessions, managed outside a request · listed by owner · named by handle"
      intro={
        <>
          Every sign-in records who the session belongs to and which browser it came from. The server lists
          the user&apos;s live sessions from the {config.storage} storage&apos;s owner index, each by an
          opaque handle (never its id, which must not leave the server), and can end any one of them: sign in
          from a second browser, list, and sign that one out.
        </>
      }
      inspector={
        <aside className="inspector">
          <p className="muted">
            <code>engine.listSessions(Login, userId)</code> · <code>sessions.handle(Login)</code> marks this
            device · <code>engine.endSession(Login, userId, handle)</code>
          </p>
        </aside>
      }
    >
      <div className="actions">
        <button type="button" disabled={busy} onClick={list}>
          List my devices
        </button>
      </div>
      <p className="status-line" data-testid="devices-status">
        {status}
      </p>
      {devices && devices.length > 0 && (
        <table className="devices" data-testid="devices-list">
          <thead>
            <tr>
              <th>device</th>
              <th>signed in</th>
              <th>last seen</th>
              <th>expires</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {devices.map((row) => (
              <tr key={row.handle} data-testid="device-row" data-current={row.current}>
                <td title={row.metadata.userAgent}>
                  {row.metadata.device ?? '—'}
                  {row.current && <strong data-testid="device-current"> (this device)</strong>}
                </td>
                <td>{time(row.createdAt)}</td>
                <td>{time(row.lastSeenAt)}</td>
                <td>{time(row.expiresAt)}</td>
                <td>
                  <button type="button" disabled={busy} onClick={() => end(row)} data-testid="device-end">
                    Sign out
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  )
}
