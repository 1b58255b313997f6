'use client'
// The cart as the page reads it from its cookie with @tessera/browser: verified with the server's
// Ed25519 public keys, or null when absent or forged.
import { readSession } from '@tessera/browser'
import { useEffect, useState } from 'react'
import { Cart } from '../../lib/sessions'

export function CartView({ publicKeys }: { publicKeys: Record<string, string> }) {
  const [cart, setCart] = useState<{ items: string[] } | null | undefined>(undefined)
  // A Server Action that set a cookie re-renders the page: the effect reads the new cookie then.
  useEffect(() => {
    readSession(Cart, { publicKeys }).then(setCart, () => setCart(null))
  })
  return (
    <p data-testid="cart">
      {cart === undefined
        ? 'reading…'
        : cart === null
          ? 'empty'
          : `${cart.items.length} item(s), verified in this page: ${cart.items.join(', ')}`}
    </p>
  )
}
