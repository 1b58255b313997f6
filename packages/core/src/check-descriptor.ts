import { KEY_ID } from './crypto/key-ring'
import type { AnySessionDescriptor } from './descriptor'
import { assertNameFor } from './descriptor'
import type { ExpirySeconds } from './descriptor-expiry'
import { expirySeconds } from './descriptor-expiry'
import { decodeBase64url } from './encoding/base64url'
import { SessionError } from './errors'
import type { Protection } from './wire/token'

const ED25519_PUBLIC_KEY_BYTES = 32
const PROTECTIONS: readonly Protection[] = ['none', 'signed', 'ed25519', 'sealed']

/**
 * Checks a descriptor the way the engine does when it registers the session, and returns its expiry
 * in seconds: known transport, storage, visibility and protection; only the combinations the wire
 * format allows (server storage is never client-visible and is signed or `none`, a client-visible
 * value is `ed25519` or `none`); public keys only for `ed25519`, each 32 bytes of base64url under a
 * key id; durations that parse. Throws `SessionError('INVALID_OPTION')` naming the session
 * (`INVALID_NAME` for a name that `defineSession` would have refused).
 *
 * @example
 * checkDescriptor(defineSession('cart', { expiry: { idle: '1h' } })) // { idle: 3600, absolute: null }
 */
export function checkDescriptor(descriptor: AnySessionDescriptor): ExpirySeconds {
  const { name, transport, storage, visibility, protection, publicKeys } = descriptor
  assertNameFor(name, transport)
  const fail = (rule: string): never => {
    throw new SessionError('INVALID_OPTION', `session "${name}": ${rule}`, { session: name })
  }
  const oneOf = (option: string, value: string, allowed: readonly string[]) => {
    if (!allowed.includes(value)) fail(`${option} must be one of ${JSON.stringify(allowed)}`)
  }
  oneOf('transport', transport, ['cookie', 'header'])
  oneOf('storage', storage, ['client', 'server'])
  oneOf('visibility', visibility, ['client', 'server'])
  // Only an id travels for server storage: the browser has nothing to see, and only the id is signed.
  if (storage === 'server' && visibility === 'client')
    fail('storage "server" cannot be visible to the client')
  oneOf(
    `with storage "${storage}" and visibility "${visibility}", protection`,
    protection,
    storage === 'server' ? ['signed', 'none'] : visibility === 'client' ? ['ed25519', 'none'] : PROTECTIONS,
  )
  if (publicKeys !== undefined) {
    if (protection !== 'ed25519') fail('publicKeys need protection "ed25519"')
    for (const [id, key] of Object.entries(publicKeys)) {
      if (
        !KEY_ID.test(id) ||
        typeof key !== 'string' ||
        decodeBase64url(key)?.length !== ED25519_PUBLIC_KEY_BYTES
      ) {
        fail(`publicKeys["${id.slice(0, 32)}"] must be 32 bytes of base64url, under a key id`)
      }
    }
  }
  return expirySeconds(descriptor)
}
