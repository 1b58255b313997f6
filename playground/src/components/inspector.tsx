import type { ReactNode } from 'react'
import type { SessionReport } from '../api/session-report'
import { PROTECTION_NAMES, parseToken } from '../lib/token-parts'
import type { LogEntry } from '../lib/use-server-calls'

/** One verdict row: who checked what, and the outcome. */
export interface Check {
  readonly label: string
  readonly tone: 'ok' | 'bad' | 'none'
  readonly text: string
  readonly testId?: string
}

/** Props of {@link Inspector}. */
export interface InspectorProps {
  /** The session, as the cookie or header is named. */
  readonly session: string
  readonly transport: 'cookie' | 'header'
  /** The token the page holds now; null when it holds none (or cannot see it). */
  readonly token: string | null
  /** Where the token was read from, or why it cannot be. */
  readonly source: string
  readonly checks: readonly Check[]
  /** The decoded value as text, and who decoded it. */
  readonly value: { readonly text: string | null; readonly by: string } | null
  readonly report: SessionReport | null
  readonly log: readonly LogEntry[]
  readonly now: number
  readonly children?: ReactNode
}

const date = (seconds: number) => new Date(seconds * 1000).toLocaleString(undefined, { hour12: false })

/** "in 6 d 23 h", "in 8 s", "expired 3 s ago". */
export function countdown(exp: number, now: number): string {
  if (exp === 0) return 'never (no expiry inside the token)'
  const left = exp - now
  const span = (s: number) =>
    s >= 86_400
      ? `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`
      : s >= 3600
        ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
        : s >= 60
          ? `${Math.floor(s / 60)} min ${s % 60} s`
          : `${s} s`
  return left > 0 ? `in ${span(left)}` : `expired ${span(-left)} ago`
}

function Claims({ token, report, now }: { token: string; report: SessionReport | null; now: number }) {
  const parts = parseToken(token)
  const sealed = parts.protection === 'sealed'
  const serverClaims = report?.received === token && report.check?.ok ? report.check : null
  const iat = parts.iat ?? serverClaims?.iat ?? null
  const exp = parts.exp ?? serverClaims?.exp ?? null
  return (
    <dl className="claims">
      <dt>version</dt>
      <dd>{parts.version}</dd>
      <dt>protection</dt>
      <dd>{PROTECTION_NAMES[parts.protection]}</dd>
      {parts.kid !== null && (
        <>
          <dt>key id</dt>
          <dd>{parts.kid}</dd>
        </>
      )}
      <dt>issued at</dt>
      <dd>
        {iat === null ? 'inside the sealed box' : date(iat)}
        {sealed && iat !== null && <span className="muted"> (the server opened the box)</span>}
      </dd>
      <dt>expires</dt>
      <dd data-testid={`${report?.session ?? 'token'}-expiry`}>
        {exp === null
          ? 'inside the sealed box'
          : `${exp === 0 ? '' : `${date(exp)}, `}${countdown(exp, now)}`}
      </dd>
      {parts.payload !== null && (
        <>
          <dt>payload</dt>
          <dd>
            <code className="payload">{parts.payload}</code>
          </dd>
        </>
      )}
      {parts.tailBytes !== null && (
        <>
          <dt>{sealed ? 'sealed box' : parts.protection === 'ed25519' ? 'signature' : 'tag'}</dt>
          <dd>{parts.tailBytes} bytes</dd>
        </>
      )}
    </dl>
  )
}

/**
 * The inspector beside each panel: the token as it travels, its parts decoded, who verified it and
 * how, the value, and the panel's last exchanges with the server.
 */
export function Inspector(props: InspectorProps) {
  const { session, token, report } = props
  return (
    <aside className="inspector" aria-label={`${session} inspector`}>
      <h3>Inspector</h3>
      <section>
        <h4>
          {props.transport === 'cookie' ? 'Cookie' : 'Header'} as it travels{' '}
          <span className="muted">({props.source})</span>
        </h4>
        {token === null ? (
          <p className="wire empty" data-testid={`${session}-token`}>
            {props.transport === 'cookie' ? `no ${session} cookie` : `no ${session} header`}
          </p>
        ) : (
          <p className="wire" data-testid={`${session}-token`} data-token={token}>
            <span className="part-name">
              {session}
              {props.transport === 'cookie' ? '=' : ': '}
            </span>
            {parseToken(token).parts.map((part) => (
              <span key={part.at}>
                {part.at > 0 && <span className="dot">.</span>}
                <span className={`part part-${part.kind}`} title={part.kind}>
                  {part.text}
                </span>
              </span>
            ))}
          </p>
        )}
        {token !== null && <Claims token={token} report={report} now={props.now} />}
      </section>
      <section>
        <h4>Checks</h4>
        <ul className="checks">
          {props.checks.map((check) => (
            <li key={check.label} className={`check check-${check.tone}`} data-testid={check.testId}>
              <span className="check-icon" aria-hidden>
                {check.tone === 'ok' ? '✓' : check.tone === 'bad' ? '✗' : '·'}
              </span>
              <span className="check-label">{check.label}</span>
              <span className="check-text">{check.text}</span>
            </li>
          ))}
        </ul>
      </section>
      {props.value && (
        <section>
          <h4>
            Value <span className="muted">({props.value.by})</span>
          </h4>
          <pre className="value" data-testid={`${session}-value`}>
            {props.value.text ?? 'null'}
          </pre>
        </section>
      )}
      {props.children}
      <section>
        <h4>Server responses</h4>
        {props.log.length === 0 ? (
          <p className="muted">Nothing asked yet.</p>
        ) : (
          <ol className="log" data-testid={`${session}-log`}>
            {props.log.map((entry) => (
              <li key={entry.id} className={`log-${entry.tone}`}>
                <strong>{entry.label}</strong> <span className="status">HTTP {entry.status}</span>
                {entry.lines.map((line) => (
                  <div key={line} className="log-line">
                    {line}
                  </div>
                ))}
              </li>
            ))}
          </ol>
        )}
      </section>
    </aside>
  )
}
