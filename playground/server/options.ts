import type { StorageKind } from './storage'
import { STORAGE_KINDS } from './storage'

/** The port the playground listens on when neither `PORT` nor `--port` says otherwise. */
export const DEFAULT_PORT = 4173

/** How the server was asked to run. */
export interface ServeOptions {
  readonly host: string
  readonly port: number
  readonly storage: StorageKind
}

/** `--name value` or `--name=value`; undefined when absent. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === `--${name}`) return argv[i + 1]
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3)
  }
  return undefined
}

/**
 * Reads `--host`, `--port` and `--storage` (flags win), else `HOST`, `PORT` and `STORAGE`; binds
 * 127.0.0.1 by default. Throws an Error with a message for the user on a bad value.
 *
 * @example parseServeOptions(['--storage', 'redis'], {}) // { host: '127.0.0.1', port: 4173, storage: 'redis' }
 */
export function parseServeOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ServeOptions {
  const host = flag(argv, 'host') ?? env.HOST ?? '127.0.0.1'
  const portText = flag(argv, 'port') ?? env.PORT ?? String(DEFAULT_PORT)
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new Error(`the port must be a number from 0 to 65535, not "${portText.slice(0, 20)}"`)
  }
  const storage = (flag(argv, 'storage') ?? env.STORAGE ?? 'memory').toLowerCase()
  if (!(STORAGE_KINDS as readonly string[]).includes(storage)) {
    throw new Error(`the storage must be one of ${STORAGE_KINDS.join(', ')}, not "${storage.slice(0, 20)}"`)
  }
  return { host, port, storage: storage as StorageKind }
}
