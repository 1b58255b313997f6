import type { SessionClient } from '@tessera/browser'
import { createContext, useContext, useEffect, useState } from 'react'
import type { PlaygroundConfig } from '../api/create-api'
import type { Cart, Login, Prefs, Vault } from '../shared/sessions'
import type { ApiCaller } from './api-client'
import type { RefusalMemo } from './browser-reads'

/** The page's session client, typed with the sessions it registers. */
export type PlaygroundClient = SessionClient<typeof Cart | typeof Login | typeof Prefs | typeof Vault>

/** How the offline mode is running, for the page to say so. */
export interface OfflineInfo {
  /** `service-worker`: msw's worker intercepts; `fallback`: msw patched fetch in the page (no worker). */
  readonly interception: 'service-worker' | 'fallback'
}

/** Everything the panels share. */
export interface Playground {
  readonly client: PlaygroundClient
  readonly api: ApiCaller
  readonly config: PlaygroundConfig
  readonly refusals: RefusalMemo
  readonly offline: OfflineInfo | null
}

export const PlaygroundContext = createContext<Playground | null>(null)

/** The playground's shared parts; only inside the app's provider. */
export function usePlayground(): Playground {
  const playground = useContext(PlaygroundContext)
  if (!playground) throw new Error('usePlayground needs the PlaygroundContext provider')
  return playground
}

/** Unix seconds, updated every second: countdowns and expiry checks re-render with it. */
export function useNowSeconds(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000))
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000)
    return () => clearInterval(timer)
  }, [])
  return now
}
