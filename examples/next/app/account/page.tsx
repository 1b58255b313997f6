import { readSessions } from '@tessera/node/next'
import { redirect } from 'next/navigation'
import { sessions } from '../../lib/engine'
import { Cart, Login } from '../../lib/sessions'
import { addToCart, signOut } from '../actions'
import { CartView } from './cart-view'

export default async function Account() {
  const login = await (await readSessions(sessions())).get(Login)
  // Middleware let the request through with a valid cookie; this is for one that turned invalid since.
  if (login === null) redirect('/login')
  // The page verifies the cart itself with these Ed25519 public keys (not secret).
  const publicKeys = (await sessions().publicKeys())[Cart.name] ?? {}
  return (
    <main>
      <h1>
        Signed in as <span data-testid="user">{login.user}</span>
      </h1>
      <section>
        <h2>Cart</h2>
        <CartView publicKeys={publicKeys} />
        {['apple', 'pear', 'plum'].map((product) => (
          <form action={addToCart} key={product}>
            <input type="hidden" name="product" value={product} />
            <button type="submit">Add {product}</button>
          </form>
        ))}
      </section>
      <form action={signOut}>
        <button type="submit">Sign out</button>
      </form>
    </main>
  )
}
