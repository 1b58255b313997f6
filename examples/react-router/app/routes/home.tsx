import { readSession } from '@tessera/browser'
import { sessionsOf, withSessions } from '@tessera/node/react-router'
import { useEffect, useState } from 'react'
import { Form, redirect } from 'react-router'
import { Cart, Login } from '../sessions'
import { sessions } from '../sessions.server'
import type { Route } from './+types/home'

const PRODUCTS = ['apple', 'pear', 'plum'] as const

export const loader = withSessions(sessions, async ({ request }: Route.LoaderArgs) => {
  const login = await sessionsOf(request).get(Login)
  if (login === null) throw redirect('/login')
  // The page verifies the cart itself with these Ed25519 public keys (not secret).
  const publicKeys = (await sessions.publicKeys())[Cart.name] ?? {}
  return { user: login.user, publicKeys }
})

export const action = withSessions(sessions, async ({ request }: Route.ActionArgs) => {
  const product = String((await request.formData()).get('product'))
  if (!PRODUCTS.includes(product as (typeof PRODUCTS)[number])) return { error: 'no such product' }
  const current = sessionsOf(request)
  if ((await current.get(Login)) === null) throw redirect('/login')
  await current.update(Cart, (cart) => ({ items: [...(cart?.items ?? []), product] }))
  return { error: null }
})

/** The cart as this page reads it from its cookie: verified with the public keys, or null. */
function useVerifiedCart(publicKeys: Record<string, string>, revision: unknown) {
  const [cart, setCart] = useState<{ items: string[] } | null | undefined>(undefined)
  // `revision` changes after each action (the loader ran again), when the cookie may have changed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read on each revision
  useEffect(() => {
    readSession(Cart, { publicKeys }).then(setCart, () => setCart(null))
  }, [publicKeys, revision])
  return cart
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const cart = useVerifiedCart(loaderData.publicKeys, loaderData)
  return (
    <main>
      <h1>
        Signed in as <span data-testid="user">{loaderData.user}</span>
      </h1>
      <section>
        <h2>Cart</h2>
        <p data-testid="cart">
          {cart === undefined
            ? 'reading…'
            : cart === null
              ? 'empty'
              : `${cart.items.length} item(s), verified in this page: ${cart.items.join(', ')}`}
        </p>
        {PRODUCTS.map((product) => (
          <Form method="post" key={product}>
            <input type="hidden" name="product" value={product} />
            <button type="submit">Add {product}</button>
          </Form>
        ))}
      </section>
      <Form method="post" action="/logout">
        <button type="submit">Sign out</button>
      </Form>
    </main>
  )
}
