import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { SessionCrypto, SessionEngine, SessionIO } from '@tessera/core'
import { createSessionEngine, webCrypto } from '@tessera/core'
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

/** The engine a Node server would build: `createSessions` once `@tessera/node` has it, core's until then. */
export async function engineFor(
  options: Parameters<typeof createSessionEngine>[0],
): Promise<{ engine: SessionEngine; via: string }> {
  if (hasFile('packages/node/src/index.ts')) {
    try {
      const node = (await import('@tessera/node')) as { createSessions?: typeof createSessionEngine }
      if (typeof node.createSessions === 'function')
        return { engine: node.createSessions(options), via: '@tessera/node createSessions' }
    } catch {
      // fall through to core's engine
    }
  }
  return { engine: createSessionEngine(options), via: '@tessera/core createSessionEngine (webCrypto)' }
}

/**
 * A request as the engine sees it: a Cookie header in, Set-Cookie lines out. A class, so a request
 * creates no closures (tsx's `keepNames` would add a call per closure to what is measured).
 */
class FakeIO implements SessionIO {
  readonly setCookies: string[] = []
  readonly #cookie: string | undefined

  constructor(cookieHeader: string | undefined) {
    this.#cookie = cookieHeader
  }

  requestHeader(name: string): string | undefined {
    return name === 'cookie' ? this.#cookie : undefined
  }

  appendHeader(name: string, value: string): void {
    if (name === 'set-cookie') this.setCookies.push(value)
  }

  setHeader(): void {}

  headersSent(): boolean {
    return false
  }

  isSecure(): boolean {
    return false
  }
}

/** A fake request carrying `cookieHeader`; `setCookies` collects what the engine writes. */
export function fakeRequest(cookieHeader: string | undefined): { io: SessionIO; setCookies: string[] } {
  const io = new FakeIO(cookieHeader)
  return { io, setCookies: io.setCookies }
}
