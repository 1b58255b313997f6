// The server's engine: only loaders and actions import it (the `.server` suffix keeps it out of the
// browser bundle).
import { cookie, createSessions } from '@tessera/node'
import { Cart, Login } from './sessions'

const secret = process.env.SESSION_SECRET
if (secret === undefined) throw new Error('set SESSION_SECRET (32 bytes or more) to start the app')

export const sessions = createSessions({
  secret,
  sessions: [cookie(Login, { maxAge: '1d' }), cookie(Cart, { maxAge: '7d' })],
})
