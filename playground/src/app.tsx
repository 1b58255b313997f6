import type { Playground } from './lib/playground-context'
import { PlaygroundContext } from './lib/playground-context'
import { CartPanel } from './panels/cart-panel'
import { DevicesPanel } from './panels/devices-panel'
import { LoginPanel } from './panels/login-panel'
import { PrefsPanel } from './panels/prefs-panel'
import { VaultPanel } from './panels/vault-panel'

const STORAGE_NAMES: Readonly<Record<string, string>> = {
  memory: 'in-memory storage',
  redis: 'Redis storage',
  postgres: 'PostgreSQL storage',
  localStorage: 'localStorage storage',
}

function ModeBadge({ playground }: { playground: Playground }) {
  const { config, offline } = playground
  const storage = STORAGE_NAMES[config.storage] ?? config.storage
  return (
    <p className="badges" data-testid="mode">
      <span className={`badge ${offline ? 'badge-offline' : 'badge-server'}`}>
        {offline ? 'offline: msw in this page' : 'server: Node'}
      </span>
      <span className="badge">{storage}</span>
      <span className="badge">
        {config.secret === 'env'
          ? 'secret from TESSERA_SECRET'
          : config.secret === 'generated'
            ? 'secret generated at start-up'
            : 'secret generated in this page'}
      </span>
    </p>
  )
}

function OfflineNote({ playground }: { playground: Playground }) {
  if (!playground.offline) return null
  const worker = playground.offline.interception === 'service-worker'
  return (
    <section className="note-box" data-testid="offline-note">
      <h2>Offline mode: no server at all</h2>
      <p>
        {worker ? (
          <>
            msw&apos;s service worker (<code>mockServiceWorker.js</code>) intercepts each request to{' '}
            <code>/api/…</code> and hands it to this page; the API handlers and tessera&apos;s portable engine
            (<code>@tessera/core</code>, through <code>@tessera/browser/testing</code>) run here, in the page,
            and the worker returns their response. The handlers are the same ones the Node server runs.
          </>
        ) : (
          <>
            This browser gave msw no service worker, so msw patched <code>fetch</code> in this page instead;
            the API handlers and tessera&apos;s portable engine run here, in the page, as they would behind
            the worker.
          </>
        )}
      </p>
      <ul>
        <li>
          A response built in the page cannot carry <code>Set-Cookie</code> (browsers drop it), so the
          engine&apos;s cookies are applied by msw&apos;s glue instead: the readable ones (cart, prefs) into{' '}
          <code>document.cookie</code>, the HttpOnly one (vault) into a jar held in this page&apos;s memory,
          which a script could read and which a reload empties. Only the Node server makes a real HttpOnly
          cookie.
        </li>
        <li>
          The secret is generated in this page and kept in its localStorage: signatures and seals work as they
          do on a server, but anyone with this page holds the key. Logins are stored in localStorage, shared
          by the tabs of this origin.
        </li>
      </ul>
    </section>
  )
}

/** The playground: one panel per kind of session, each with its inspector. */
export function App({ playground }: { playground: Playground }) {
  const otherMode = playground.offline ? './' : './?offline'
  return (
    <PlaygroundContext.Provider value={playground}>
      <header className="page-header">
        <div>
          <h1>
            tessera <span className="muted">playground</span>
          </h1>
          <p className="lede">
            Four sessions, defined once in <code>src/shared/sessions.ts</code> and imported by this page and
            by the server. Poke at them: every inspector shows the token as it travels, what it decodes to,
            who verified it, and what the server answered.
          </p>
        </div>
        <div className="header-side">
          <ModeBadge playground={playground} />
          {!(import.meta.env.MODE === 'offline') && (
            <a className="mode-link" href={otherMode}>
              {playground.offline ? 'Back to the Node server' : 'Try the offline mode (msw)'}
            </a>
          )}
        </div>
      </header>
      <main>
        <OfflineNote playground={playground} />
        <CartPanel />
        <LoginPanel />
        <DevicesPanel />
        <PrefsPanel />
        <VaultPanel />
      </main>
      <footer className="page-footer">
        Wire format: <code>docs/wire-format.md</code> · Ktor&apos;s sessions, mapped:{' '}
        <code>docs/coming-from-ktor.md</code> · the playground&apos;s code: <code>playground/</code>
      </footer>
    </PlaygroundContext.Provider>
  )
}
