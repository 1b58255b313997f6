import { createSessionClient } from '@tessera/browser'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import type { PlaygroundConfig } from './api/create-api'
import { App } from './app'
import { createApiCaller } from './lib/api-client'
import { createRefusalMemo } from './lib/browser-reads'
import type { OfflineInfo, Playground } from './lib/playground-context'
import { Cart, Login, Prefs, Vault } from './shared/sessions'
import './styles.css'

/** Offline when built with `--mode offline`, or asked with `?offline`. */
const offlineWanted =
  import.meta.env.MODE === 'offline' || new URLSearchParams(location.search).has('offline')

function showFailure(message: string): void {
  const root = document.getElementById('root')!
  root.innerHTML = ''
  const box = document.createElement('p')
  box.className = 'boot-failure'
  box.textContent = message
  root.append(box)
}

/**
 * Unregisters msw's worker left by an earlier visit to the offline mode. It would only pass the
 * server mode's requests through, but a page that says "served by Node" should not have one.
 */
async function removeOfflineWorker(): Promise<void> {
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? []
  for (const registration of registrations) {
    if (registration.active?.scriptURL.endsWith('/mockServiceWorker.js')) await registration.unregister()
  }
}

async function boot(): Promise<void> {
  let offline: OfflineInfo | null = null
  if (!offlineWanted) void removeOfflineWorker().catch(() => undefined)
  if (offlineWanted) {
    // msw and the engine load only in the offline mode: the server mode's bundle carries neither.
    const { startOffline } = await import('./offline/start-offline')
    offline = await startOffline()
  }
  const response = await fetch('/api/config', { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`the playground's API answered ${response.status} to /api/config`)
  const config = (await response.json()) as PlaygroundConfig

  const refusals = createRefusalMemo()
  const client = createSessionClient({
    sessions: [Cart, Login, Prefs, Vault],
    publicKeys: config.publicKeys,
    onInvalid: refusals.onInvalid,
  })
  const playground: Playground = {
    client,
    api: createApiCaller(client),
    config,
    refusals,
    offline,
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App playground={playground} />
    </StrictMode>,
  )
}

boot().catch((error: unknown) => {
  showFailure(
    `The playground could not start: ${error instanceof Error ? error.message : String(error)}. ` +
      (offlineWanted
        ? 'The offline mode needs a browser with service workers or fetch (and a page served over http://localhost or https).'
        : 'Is the playground server running? Start it with npm start.'),
  )
})
