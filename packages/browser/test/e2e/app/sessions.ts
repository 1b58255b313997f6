// The descriptor file a monorepo shares: imported by the page (bundled with esbuild) and by the server.
import { defineSession } from '@tessera/core'

export interface CartValue {
  readonly items: readonly { readonly sku: string; readonly qty: number }[]
}

/** Written and signed (Ed25519) by the server, read and verified in the page. */
export const Cart = defineSession<CartValue>()('cart', { visibility: 'client' })
/** Owned by the browser: the page writes it, the server reads it. */
export const Prefs = defineSession<{ theme: 'dark' | 'light' }>()('prefs', {
  visibility: 'client',
  protection: 'none',
})
/** A server-stored login carried in a header. */
export const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
