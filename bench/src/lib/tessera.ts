import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { SessionCrypto } from '@tessera/core'
import { webCrypto } from '@tessera/core'
import { REPO_ROOT } from './paths'

/** True when a repository file exists (the tessera pieces land while the bench is written). */
export function hasFile(path: string): boolean {
  return existsSync(join(REPO_ROOT, path))
}

const isCrypto = (value: unknown): value is SessionCrypto =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SessionCrypto).hmacSha256 === 'function' &&
  typeof (value as SessionCrypto).hkdf === 'function'

/**
 * The crypto a server would use: `@tessera/node`'s `nodeCrypto` once the package has its entry point,
 * core's portable `webCrypto` until then.
 */
export async function serverCrypto(): Promise<SessionCrypto> {
  if (!hasFile('packages/node/src/index.ts')) return webCrypto
  try {
    const node = (await import('@tessera/node')) as Record<string, unknown>
    return isCrypto(node.nodeCrypto) ? node.nodeCrypto : webCrypto
  } catch {
    return webCrypto
  }
}
