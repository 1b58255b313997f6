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

/**
 * A store for a kind. Web Storage that is missing or refuses access (a sandboxed frame, a disabled
 * storage) falls back to memory: the session then lasts as long as the page. Tokens the storage
 * refuses later (quota, a storage turned off meanwhile) stay in memory instead.
 */
export function createHeaderStore(kind: HeaderStoreKind | HeaderStore): HeaderStore {
  if (typeof kind === 'object') return kind
  const memory = new Map<string, string>()
  let web: Storage | undefined
  try {
    web =
      kind === 'local' ? globalThis.localStorage : kind === 'session' ? globalThis.sessionStorage : undefined
    web?.getItem(STORE_PREFIX)
  } catch {
    web = undefined
  }
  return {
    get: (name) => memory.get(name) ?? web?.getItem(STORE_PREFIX + name) ?? undefined,
    set(name, token) {
      try {
        if (web) {
          web.setItem(STORE_PREFIX + name, token)
          return void memory.delete(name)
        }
      } catch {
        // Refused: kept in memory instead.
      }
      memory.set(name, token)
    },
    delete(name) {
      memory.delete(name)
      web?.removeItem(STORE_PREFIX + name)
    },
  }
}
