// The sessions, defined once: Server Components, Server Actions, middleware and the page
// (@tessera/browser) import this file, so every side agrees on names, types and protection.
import { defineSession, jsonCodec } from '@tessera/core'

/** Who is signed in: sealed in an HttpOnly cookie, so the page can neither read nor forge it. */
export const Login = defineSession<{ user: string }>()('login', { codec: jsonCodec })

/** The cart: signed by the server with Ed25519 in a cookie the page reads and verifies itself. */
export const Cart = defineSession<{ items: string[] }>()('cart', { visibility: 'client', codec: jsonCodec })
