/**
 * The built-in places a header session's token can be kept.
 *
 * @example
 * createSessionClient({ sessions: [Login], headerStore: 'local' })
 */
export type HeaderStoreKind = 'memory' | 'session' | 'local'

/**
 * Keeps header session tokens between requests, by session name. Bring your own (an encrypted
 * IndexedDB wrapper, a React Native secure store) by implementing these three methods.
 *
 * @example
 * const map = new Map<string, string>()
 * const store: HeaderStore = { get: (n) => map.get(n), set: (n, t) => map.set(n, t), delete: (n) => map.delete(n) }
 */
export interface HeaderStore {
  get(name: string): string | undefined
  set(name: string, token: string): void
  delete(name: string): void
}

/** Prefix of the Web Storage keys; storage events with it are tessera's. */
export const STORE_PREFIX = 'tessera:'

function memoryStore(): HeaderStore {
  const tokens = new Map<string, string>()
  return {
    get: (name) => tokens.get(name),
    set: (name, token) => void tokens.set(name, token),
    delete: (name) => void tokens.delete(name),
  }
}

/**
 * A store for a kind. Web Storage that is missing or refuses access (a sandboxed frame, a disabled
 * storage) falls back to memory: the session then lasts as long as the page.
 */
export function createHeaderStore(kind: HeaderStoreKind | HeaderStore): HeaderStore {
  if (typeof kind === 'object') return kind
  let storage: Storage | undefined
  try {
    storage =
      kind === 'local' ? globalThis.localStorage : kind === 'session' ? globalThis.sessionStorage : undefined
    storage?.getItem(STORE_PREFIX)
  } catch {
    storage = undefined
  }
  if (!storage) return memoryStore()
  const web = storage
  // Tokens the storage refused (quota, a storage turned off meanwhile) stay in memory instead.
  const refused = memoryStore()
  return {
    get: (name) => refused.get(name) ?? web.getItem(STORE_PREFIX + name) ?? undefined,
    set(name, token) {
      try {
        web.setItem(STORE_PREFIX + name, token)
        refused.delete(name)
      } catch {
        refused.set(name, token)
      }
    },
    delete(name) {
      refused.delete(name)
      web.removeItem(STORE_PREFIX + name)
    },
  }
}
