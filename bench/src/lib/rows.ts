/** One line of results.json: exactly the fields a script reads. */
export interface ResultRow {
  readonly group: string
  readonly name: string
  readonly metric: string
  /** Null when the row could not be measured (pending or failed). */
  readonly value: number | null
  readonly ratio: Record<string, number>
}

/** A measured row with what RESULTS.md shows beside it. */
export interface Row extends ResultRow {
  readonly status: 'ok' | 'pending' | 'failed'
  /** Why a row is pending or failed, or a remark on an ok row. */
  readonly note?: string | undefined
  /** Extra columns for RESULTS.md (p99, requests...). */
  readonly extra?: Readonly<Record<string, string | number>> | undefined
  /**
   * Ratio keys not to be quoted: one of the two rows' rounds spread by more than 15%. RESULTS.md
   * marks them "unstable, rerun" and a target on them reads "unstable".
   */
  readonly unstable?: readonly string[] | undefined
}

/**
 * The group of the HTTP rows by capacity (requests per second of the server's own CPU time, see
 * ../groups/http.ts): what the targets and the floors read.
 */
export const HTTP_CAPACITY_GROUP = 'http-capacity'

/** A row that could not be measured. */
export function unmeasured(
  group: string,
  name: string,
  metric: string,
  status: 'pending' | 'failed',
  note: string,
): Row {
  return { group, name, metric, value: null, ratio: {}, status, note }
}

/** Rounds a ratio to two decimals, as it is printed and stored. */
export function roundRatio(value: number): number {
  return Math.round(value * 100) / 100
}
