// Serves the app with @hono/node-server on 127.0.0.1 and drives it over HTTP like the browser client
// would: the token arrives in the `login` response header and goes back in the request header.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from './app.js'

const fetchHandler = createApp(randomBytes(32).toString('base64url'))
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const started = serve({ fetch: fetchHandler, hostname: '127.0.0.1', port: 0 }, () => resolve(started))
})
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

async function step(name: string, run: () => Promise<void>): Promise<void> {
  await run()
  console.log(`  ok  ${name}`)
}

/** The token with one character inside its last part changed (not the last one, whose low bits may not count). */
function flipOneCharacter(token: string): string {
  const at = token.length - 6
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
}

function send(
  method: string,
  path: string,
  init: { token?: string; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = {}
  if (init.token !== undefined) headers.login = init.token
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  return fetch(origin + path, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
}

try {
  let token = ''

  await step('without the header, requireSession answers 401', async () => {
    const response = await send('GET', '/me')
    assert.equal(response.status, 401)
    assert.deepEqual(await response.json(), { error: 'UNAUTHENTICATED' })
  })

  await step('login answers with a token in the login header and sets no cookie', async () => {
    const response = await send('POST', '/login', { body: { userId: 'user-7', name: 'Ada' } })
    assert.equal(response.status, 204)
    token = response.headers.get('login') ?? ''
    assert.ok(token.length > 0, 'the login header carries a token')
    assert.ok(!token.includes('Ada'), 'the token is sealed')
    assert.deepEqual(response.headers.getSetCookie(), [])
  })

  await step('the token in the request header reads the session', async () => {
    const response = await send('GET', '/me', { token })
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { userId: 'user-7', name: 'Ada' })
  })

  await step('a tampered token is no session', async () => {
    const response = await send('GET', '/me', { token: flipOneCharacter(token) })
    assert.equal(response.status, 401)
  })

  await step('logout tells the client to drop its token', async () => {
    const response = await send('POST', '/logout', { token })
    assert.equal(response.status, 204)
    assert.equal(response.headers.get('login'), 'cleared')
  })
} finally {
  server.close()
}
