import { readCookie } from '@tessera/core/internal'
import { useEffect, useState } from 'react'
import { browserCheck, browserNotice, serverCheck } from '../components/checks'
import { Inspector } from '../components/inspector'
import { Panel } from '../components/panel'
import type { BrowserRead } from '../lib/browser-reads'
import { useNowSeconds, usePlayground } from '../lib/playground-context'
import { parseToken } from '../lib/token-parts'
import { useServerCalls } from '../lib/use-server-calls'
import { describeValue } from '../shared/describe-value'
import type { CartValue } from '../shared/sessions'
import { Cart } from '../shared/sessions'
import { flipCharacter } from '../shared/tamper'

const money = (cents: number) => `€${(cents / 100).toFixed(2)}`

/** The shopping cart: a cookie the server signs with Ed25519 and this page verifies. */
export function CartPanel() {
  const { client, config, refusals } = usePlayground()
  const now = useNowSeconds()
  const { call, log, view, report, busy } = useServerCalls('cart')
  const [, setCookieVersion] = useState(0)
  const token = readCookie(document.cookie, 'cart') ?? null
  const [read, setRead] = useState<BrowserRead<CartValue>>({ token: null, value: null, reason: null })

  // Re-read whenever the cookie changes, and every second (a cached value turns null at expiry).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` re-runs the read every second, as a cached value turns null at its expiry
  useEffect(() => {
    let current = true
    void refusals.read('cart', token, () => client.get(Cart)).then((next) => current && setRead(next))
    return () => {
      current = false
    }
  }, [client, refusals, token, now])

  const current: BrowserRead<CartValue> = read.token === token ? read : { token, value: null, reason: null }
  const cart = current.value
  const lines = cart ? [...cart.lines] : []
  const total = lines.reduce((sum, [, line]) => sum + line.qty * line.unitPrice, 0)
  const kid = token ? parseToken(token).kid : null

  const tamper = () => {
    if (!token) return
    // biome-ignore lint/suspicious/noDocumentCookie: the demo forges the cookie the way any script could
    document.cookie = `cart=${flipCharacter(token)}; path=/; samesite=lax`
    setCookieVersion((n) => n + 1)
  }

  return (
    <Panel
      id="cart"
      title="Cart"
      kind="stateless cookie · Ed25519-signed · readable by the page"
      intro={
        <>
          The whole cart (a <code>Map</code> of lines and a <code>Date</code>) travels in the{' '}
          <code>cart</code> cookie, encoded by superjson. The server signs it; this page reads it and checks
          the signature with the server&apos;s public key, so it can show the cart without asking, and nobody
          can change a price.
        </>
      }
      inspector={
        <Inspector
          session="cart"
          transport="cookie"
          token={token}
          source="document.cookie"
          now={now}
          report={report}
          log={log}
          checks={[
            browserCheck(
              current,
              now,
              'cart',
              `signature verified in this page with public key "${kid}" (Ed25519, WebCrypto)`,
            ),
            serverCheck('cart', view, token, 'verified the signature and read the cart'),
          ]}
          value={{ text: cart ? describeValue(cart) : null, by: 'decoded and verified in this page' }}
        />
      }
    >
      <div className="catalog">
        {Object.entries(config.catalog).map(([sku, item]) => (
          <button
            key={sku}
            type="button"
            disabled={busy}
            onClick={() => call(`Add ${item.name}`, '/api/cart/items', { method: 'POST', body: { sku } })}
          >
            Add {item.name} <span className="muted">{money(item.unitPrice)}</span>
          </button>
        ))}
      </div>
      {lines.length === 0 ? (
        <p className="empty-state" data-testid="cart-empty">
          {browserNotice(current, now, 'cart cookie') ?? 'The cart is empty.'}
        </p>
      ) : (
        <table className="cart-table" data-testid="cart-lines">
          <tbody>
            {lines.map(([sku, line]) => (
              <tr key={sku}>
                <td>{line.name}</td>
                <td className="num">× {line.qty}</td>
                <td className="num">{money(line.qty * line.unitPrice)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>Total, updated {cart?.updatedAt.toLocaleTimeString(undefined, { hour12: false })}</td>
              <td />
              <td className="num" data-testid="cart-total">
                {money(total)}
              </td>
            </tr>
          </tfoot>
        </table>
      )}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => call('Ask the server', '/api/cart')}>
          Ask the server
        </button>
        <button type="button" disabled={busy || !token} onClick={tamper} data-testid="cart-tamper">
          Tamper: flip a character
        </button>
        <button
          type="button"
          disabled={busy || !cart}
          onClick={() => call('Reissue for 10 s', '/api/cart/reissue', { method: 'POST', short: true })}
        >
          Expire in {config.shortLifetime} s
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => call('Empty the cart', '/api/cart', { method: 'DELETE' })}
        >
          Empty the cart
        </button>
      </div>
      <p className="muted small">
        “Expire” asks the server for a token that lasts {config.shortLifetime} s, in a cookie kept for a week:
        the browser keeps sending it, and the expiry that counts is the one signed inside the token.
      </p>
    </Panel>
  )
}
