// A page whose client reads a session holding a Map and a Date with the default codec.
import { createSessionClient } from '@tessera/browser'
import { defineSession } from '@tessera/core'

const Cart = defineSession('cart', {
  visibility: 'client',
  publicKeys: { 0: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik' },
})
window.cart = createSessionClient({ sessions: [Cart] }).get(Cart)
