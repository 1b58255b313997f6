// A page that reads one client-visible session with readSession and the JSON codec.
import { readSession } from '@tessera/browser'
import { defineSession, jsonCodec } from '@tessera/core'

const Cart = defineSession('cart', {
  visibility: 'client',
  codec: jsonCodec,
  publicKeys: { 0: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik' },
})
window.cart = readSession(Cart)
