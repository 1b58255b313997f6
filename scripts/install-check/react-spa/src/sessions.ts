import { defineSession } from '@tessera/core'

export interface CartValue {
  items: { sku: string; quantity: number }[]
}

/** Signed by the server with Ed25519 (the default for `visibility: 'client'`), verified in the page. */
export const Cart = defineSession<CartValue>()('cart', { visibility: 'client' })

/** Server-only and sealed; the client carries its header on fetch. */
export const Login = defineSession<{ userId: string }>()('login', { transport: 'header' })
