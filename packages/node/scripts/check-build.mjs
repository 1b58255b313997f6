#!/usr/bin/env node
import { defineSession, jsonCodec } from '@tessera/core'
// Runs the builds as npm installs them (this package's dist on @tessera/core's dist, with superjson
// and tweetnacl as their dependencies): one request sets a signed, a sealed, an Ed25519 and a header
// session through the fetch adapter, the next reads them all back. Run after `pnpm build`.
import { cookie, createSessions, header } from '@tessera/node'
import { sessionsOf, withSessions } from '@tessera/node/fetch'

const Signed = defineSession('signed', { codec: jsonCodec })
const Sealed = defineSession('sealed', { protection: 'sealed' })
const Visible = defineSession('visible', { visibility: 'client' })
const Login = defineSession('login', { transport: 'header', storage: 'server' })
const all = [Signed, Sealed, Visible, Login]
const sessions = createSessions({
  secret: 'the build check of @tessera/node signs with this secret',
  sessions: [cookie(Signed), cookie(Sealed), cookie(Visible), header(Login)],
})
const values = {
  signed: { n: 1 },
  sealed: { at: new Date(0), tags: new Set(['a']) },
  visible: { n: 3 },
  login: { user: 'u' },
}

const handler = withSessions(sessions, async (request) => {
  const current = sessionsOf(request)
  if (new URL(request.url).pathname === '/set') {
    for (const session of all) await current.set(session, values[session.name])
    return new Response('set')
  }
  const read = {}
  for (const session of all) read[session.name] = await current.get(session)
  return Response.json(read, { headers: { 'cache-control': 'no-store' } })
})

const set = await handler(new Request('http://127.0.0.1/set'))
const cookies = set.headers
  .getSetCookie()
  .map((line) => line.split(';')[0])
  .join('; ')
const login = set.headers.get('login') ?? ''
const got = await handler(new Request('http://127.0.0.1/get', { headers: { cookie: cookies, login } }))
const read = await got.json()
// JSON turns the Date and the Set into text and {}; the comparison is of what the response carries.
const expected = JSON.parse(JSON.stringify(values))
const ok =
  JSON.stringify(read) === JSON.stringify(expected) && /^v1\.x\./.test(cookies.split('sealed=')[1] ?? '')
console.log(
  `${ok ? 'ok  ' : 'FAIL'} the built packages set and read signed, sealed, Ed25519 and header sessions`,
)
if (!ok) process.exit(1)
