// A page whose client reads one client-visible session with the JSON codec.
import { createSessionClient } from '@tessera/browser'
import { defineSession, jsonCodec } from '@tessera/core'

const Cart = defineSession('cart', {
  visibility: 'client',
  codec: jsonCodec,
  publicKeys: { 0: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik' },
})
window.cart = createSessionClient({ sessions: [Cart] }).get(Cart)
