import { SessionError } from '@tessera/core'
import { SESSION_ID } from '@tessera/core/internal'

/**
 * Refuses anything that is not a session id (`A-Z a-z 0-9 _ -`, 8 to 128 characters) before it
 * becomes a file name, a key or a statement parameter. The engine checks ids first; this is the
 * storage's own guard, so a storage used directly cannot be walked out of its directory or keyspace.
 */
export function assertSessionId(id: string, storage: string): void {
  if (typeof id !== 'string' || !SESSION_ID.test(id)) {
    throw new SessionError('INVALID_VALUE', `${storage} storage: not a session id`)
  }
}
