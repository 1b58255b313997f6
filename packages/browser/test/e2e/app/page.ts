// The page the end-to-end tests drive: it creates a session client from the server's public keys and
// hands it to the tests on `window.app`, with a log of what its subscribers and `onInvalid` saw, and
// reads the cart without the client too (readSession), logging to the same `invalid`. `clientFor`
// makes another client of the same sessions for other `origins`.
import type { InvalidSessionEvent } from '@tessera/core'
import { createSessionClient, readSession } from '../../../src'
import { Cart, Login, Prefs } from './sessions'

interface Config {
  readonly publicKeys: Record<string, Record<string, string>>
}

async function start() {
  const config = (await (await fetch('/api/config')).json()) as Config
  const invalid: InvalidSessionEvent[] = []
  const changes: { session: string; value: unknown }[] = []
  const client = createSessionClient({
    sessions: [Cart, Prefs, Login],
    publicKeys: config.publicKeys,
    onInvalid: (event) => invalid.push(event),
  })
  const readCart = () =>
    readSession(Cart, { publicKeys: config.publicKeys.cart, onInvalid: (event) => invalid.push(event) })
  const clientFor = (origins: string[]) =>
    createSessionClient({ sessions: [Cart, Prefs, Login], publicKeys: config.publicKeys, origins })
  const app = { client, clientFor, readCart, Cart, Prefs, Login, invalid, changes, ready: true }
  const record = (session: string) => (value: unknown) => changes.push({ session, value })
  app.client.subscribe(Cart, record('cart'))
  app.client.subscribe(Prefs, record('prefs'))
  app.client.subscribe(Login, record('login'))
  Object.assign(window, { app })
}

void start()
