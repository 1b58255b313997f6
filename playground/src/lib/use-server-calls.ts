import { HEADER_CLEARED } from '@tessera/core/internal'
import { useCallback, useRef, useState } from 'react'
import type { SessionReport } from '../api/session-report'
import type { ApiResult, CallOptions } from './api-client'
import { usePlayground } from './playground-context'

/** One line of a panel's log: a call to the server and what came back for the panel's session. */
export interface LogEntry {
  readonly id: number
  readonly label: string
  readonly status: number
  readonly tone: 'ok' | 'warn' | 'bad'
  readonly lines: readonly string[]
}

/** Shortens a token for a log line; the inspector shows it whole. */
export function shorten(token: string, keep = 28): string {
  return token.length <= keep + 1 ? token : `${token.slice(0, keep)}…`
}

/** What a response did to `session`, as log lines. */
function describe(session: string, result: ApiResult): { lines: string[]; tone: LogEntry['tone'] } {
  const lines: string[] = []
  let tone: LogEntry['tone'] = result.status < 400 ? 'ok' : 'bad'
  for (const event of result.trace?.invalid ?? []) {
    if (event.session !== session) continue
    lines.push(`server refused the incoming token: ${event.reason}`)
    tone = 'warn'
  }
  for (const write of result.trace?.cookies ?? []) {
    if (write.name !== session) continue
    if (write.value === null) lines.push(`cookie cleared${write.line ? `: Set-Cookie: ${write.line}` : ''}`)
    else
      lines.push(
        write.line ? `Set-Cookie: ${shorten(write.line, 60)}` : `cookie set: ${shorten(write.value)}`,
      )
  }
  const header = result.trace?.headers[session]
  if (header !== undefined) lines.push(`response header ${session}: ${shorten(header)}`)
  if (result.body.error) lines.push(`error: ${result.body.error}`)
  return { lines, tone }
}

/** The token a response wrote for `session`: a cookie or header value, null when cleared, else undefined. */
function writtenBy(session: string, result: ApiResult): string | null | undefined {
  const cookie = result.trace?.cookies.filter((write) => write.name === session).at(-1)
  if (cookie) return cookie.value
  const header = result.trace?.headers[session]
  if (header === undefined) return undefined
  return header === HEADER_CLEARED ? null : header
}

/**
 * A panel's conversation with the server: `call` runs an API call, logs what it did to the panel's
 * session, and keeps the last report the server gave about it and the last token it wrote.
 *
 * @example const { call, log, report } = useServerCalls('cart'); await call('Add', '/api/cart/items', { method: 'POST', body })
 */
export function useServerCalls(session: string) {
  const { api } = usePlayground()
  const [log, setLog] = useState<readonly LogEntry[]>([])
  const [report, setReport] = useState<SessionReport | null>(null)
  const [written, setWritten] = useState<string | null | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const next = useRef(1)

  const call = useCallback(
    async (label: string, path: string, options?: CallOptions): Promise<ApiResult> => {
      setBusy(true)
      try {
        const result = await api(path, options)
        const { lines, tone } = describe(session, result)
        const entry: LogEntry = { id: next.current++, label, status: result.status, tone, lines }
        setLog((entries) => [entry, ...entries].slice(0, 6))
        if (result.body.report) setReport(result.body.report)
        const write = writtenBy(session, result)
        if (write !== undefined) setWritten(write)
        return result
      } finally {
        setBusy(false)
      }
    },
    [api, session],
  )

  return { call, log, view: { report, written }, report, busy }
}
