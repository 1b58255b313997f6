import { createSessionClient } from '@tessera/browser'
import { SessionClientProvider, useSession } from '@tessera/browser/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Cart, Login } from './sessions'

function CartBadge() {
  const cart = useSession(Cart)
  const count = cart?.items.reduce((sum, item) => sum + item.quantity, 0) ?? 0
  return <span>{count} in the cart</span>
}

async function start() {
  // The server hands out its public keys (from `sessions.publicKeys()`).
  const publicKeys = (await (await fetch('/api/session-keys')).json()) as Record<
    string,
    Record<string, string>
  >
  const client = createSessionClient({ sessions: [Cart, Login], publicKeys })
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <SessionClientProvider client={client}>
        <CartBadge />
        <button type="button" onClick={() => void client.fetch('/api/orders', { method: 'POST' })}>
          Order
        </button>
      </SessionClientProvider>
    </StrictMode>,
  )
}

void start()
