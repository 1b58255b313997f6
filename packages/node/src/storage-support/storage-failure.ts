import { isSessionError, SessionError } from '@tessera/core'

/**
 * A storage failure as the engine reports it: `STORAGE_UNAVAILABLE`, with a message naming the
 * storage, the operation and the driver's error code only. The driver's own error is not attached:
 * its message or properties may carry a key, a path or a statement holding a session id.
 */
export function storageFailure(storage: string, operation: string, cause: unknown): SessionError {
  if (isSessionError(cause)) return cause
  return new SessionError(
    'STORAGE_UNAVAILABLE',
    `${storage} storage: ${operation} failed (${failureCode(cause)})`,
  )
}

/** A short, id-free label of an error: its `code` (ECONNREFUSED, an SQLSTATE...) or its class name. */
export function failureCode(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return 'error'
  const { code, name } = cause as { code?: unknown; name?: unknown }
  const label = typeof code === 'string' && code !== '' ? code : typeof name === 'string' ? name : 'error'
  return /^[A-Za-z0-9_]{1,40}$/.test(label) ? label : 'error'
}

/**
 * Rejects with `STORAGE_UNAVAILABLE` when `promise` has not settled within `ms` milliseconds; the
 * message names `limit`, the configured timeout (`ms` may be what is left of it).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  storage: string,
  operation: string,
  limit = ms,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new SessionError(
          'STORAGE_UNAVAILABLE',
          `${storage} storage: ${operation} got no answer within ${limit} ms`,
        ),
      )
    }, ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
