import { defineSession } from '@tessera/core'

export interface CartValue {
  items: { sku: string; quantity: number }[]
}

/** The cart travels whole in a cookie, signed (HMAC-SHA256): readable by nobody but checked on every read. */
export const Cart = defineSession<CartValue>()('cart', { protection: 'signed' })

/** The login lives in Redis; the cookie carries only a signed id. */
export const Login = defineSession<{ userId: string }>()('login', {
  storage: 'server',
  expiry: { idle: '2h', absolute: '7d' },
})
