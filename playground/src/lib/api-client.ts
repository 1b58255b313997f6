import type { SessionClient } from '@tessera/browser'
import type { DeviceRow } from '../api/devices'
import { LIFETIME_HEADER, TAMPER_HEADER } from '../api/request-flags'
import type { SessionReport } from '../api/session-report'
import type { ResponseTrace } from '../api/trace'
import { decodeTrace, TRACE_HEADER } from '../api/trace'

/** What a call to the playground's API returned. */
export interface ApiResult<TBody = ApiBody> {
  readonly status: number
  readonly body: TBody
  readonly trace: ResponseTrace | null
}

/** The bodies the API answers with: a report, sometimes more, or an error. */
export interface ApiBody {
  readonly report?: SessionReport
  readonly error?: string
  readonly previousId?: string | null
  readonly ended?: number
  /** The Devices panel's listing. */
  readonly devices?: readonly DeviceRow[]
  readonly signedOut?: boolean
}

/** Options of one call. */
export interface CallOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE'
  readonly body?: unknown
  /** Ask for a token that lasts 10 seconds (the "expire" buttons). */
  readonly short?: boolean
  /** Have the server flip a character of this session's token as it arrives. */
  readonly tamper?: string
}

/** Calls the playground's API. */
export type ApiCaller = (path: string, options?: CallOptions) => Promise<ApiResult>

/**
 * Calls the API through the session client's `fetch` (which attaches the `login` header and captures
 * a new one), and reads each response's trace.
 *
 * @example const api = createApiCaller(client); const { body, trace } = await api('/api/cart')
 */
export function createApiCaller(client: SessionClient<any>): ApiCaller {
  return async (path, options = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    if (options.short) headers[LIFETIME_HEADER] = 'short'
    if (options.tamper) headers[TAMPER_HEADER] = options.tamper
    const response = await client.fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
    const trace = decodeTrace(response.headers.get(TRACE_HEADER))
    let body: ApiBody
    try {
      body = (await response.json()) as ApiBody
    } catch {
      body = { error: `HTTP ${response.status}` }
    }
    return { status: response.status, body, trace }
  }
}
