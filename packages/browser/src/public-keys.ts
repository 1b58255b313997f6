import { SessionError } from '@tessera/core'
import { checkPublicKeys } from '@tessera/core/internal'
import type { ClientEntry } from './client-state'

/*
 * The client's `publicKeys` given as a URL: the keys route fetched once and checked. Imported only by
 * a client given a URL, on the first read of a session that needs keys.
 */

/** Ed25519 public keys by session name, then key id: what the server's `publicKeys()` resolves to. */
export type KeysByName = Readonly<Record<string, Readonly<Record<string, string>>>>

/**
 * Fetches the public keys from the server's route (`res.json(await sessions.publicKeys())`): an object
 * of objects, else `INVALID_KEY`. Each session's keys are checked when that session is first read.
 */
export async function fetchPublicKeys(url: string): Promise<KeysByName> {
  const refuse = (problem: string): never => {
    throw new SessionError('INVALID_KEY', `the public keys at ${url} ${problem}`)
  }
  const response = await globalThis.fetch(url, { credentials: 'same-origin' })
  if (!response.ok) refuse(`answered HTTP ${response.status}`)
  const body: unknown = await response.json().catch(() => refuse('are not JSON'))
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    refuse('are not an object of sessions (send await sessions.publicKeys())')
  }
  return body as KeysByName
}

/** Each client's fetch of its keys route: one at a time, forgotten when it fails so a read tries again. */
const fetches = new WeakMap<object, Promise<KeysByName>>()

/**
 * Gives an Ed25519 entry its keys from the client's keys route, fetched once per client and checked
 * (`INVALID_KEY` when the session's keys are missing or malformed).
 */
export async function keysFor(client: object, entry: ClientEntry, url: string): Promise<void> {
  if (entry.descriptor.protection !== 'ed25519') return
  let fetching = fetches.get(client)
  if (!fetching) {
    fetching = fetchPublicKeys(url)
    fetches.set(client, fetching)
    fetching.catch(() => fetches.delete(client))
  }
  const keys = (await fetching)[entry.name]
  checkPublicKeys(entry.name, keys)
  entry.keys = keys
}
