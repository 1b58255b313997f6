// Starts the app on 127.0.0.1 with Redis on 127.0.0.1:6379 and drives it over HTTP like a browser
// would (a cookie jar), asserting each answer. Exits non-zero on the first failed assertion.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { createApp } from './app.js'

const redis = new Redis({
  host: '127.0.0.1',
  port: 6379,
  lazyConnect: true,
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 1,
})
await redis.connect()
const redisPrefix = `tessera-install-check:${randomBytes(6).toString('hex')}:`
const app = createApp({ secret: randomBytes(32).toString('base64url'), redis, redisPrefix })
const server = app.listen(0, '127.0.0.1')
await once(server, 'listening')
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

/** The cookies the server set, as a browser keeps them. */
const jar = new Map<string, string>()

async function send(method: string, path: string, body?: unknown, cookieHeader?: string): Promise<Response> {
  const headers: Record<string, string> = {
    cookie: cookieHeader ?? [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
  }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(origin + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  for (const line of response.headers.getSetCookie()) {
    const pair = line.slice(0, line.indexOf(';') === -1 ? undefined : line.indexOf(';'))
    const name = pair.slice(0, pair.indexOf('='))
    const value = pair.slice(pair.indexOf('=') + 1)
    if (value === '' || /max-age=0/i.test(line)) jar.delete(name)
    else jar.set(name, value)
  }
  return response
}

/** The token with one character inside its last part changed (not the last one, whose low bits may not count). */
function flipOneCharacter(token: string): string {
  const at = token.length - 6
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
}

async function step(name: string, run: () => Promise<void>): Promise<void> {
  await run()
  console.log(`  ok  ${name}`)
}

try {
  await step('an empty cart writes no cookie', async () => {
    const response = await send('GET', '/cart')
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { items: [] })
    assert.deepEqual(response.headers.getSetCookie(), [])
  })

  await step('two items go into the signed cart cookie', async () => {
    await send('POST', '/cart/items', { sku: 'tea' })
    const response = await send('POST', '/cart/items', { sku: 'cup' })
    assert.deepEqual(await response.json(), {
      items: [
        { sku: 'tea', quantity: 1 },
        { sku: 'cup', quantity: 1 },
      ],
    })
    assert.ok(jar.get('cart'), 'the cart cookie is set')
    const again = await send('GET', '/cart')
    assert.equal(((await again.json()) as { items: unknown[] }).items.length, 2)
  })

  await step('a tampered cart cookie reads as no cart', async () => {
    const response = await send('GET', '/cart', undefined, `cart=${flipOneCharacter(jar.get('cart')!)}`)
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { items: [] })
  })

  await step('requireSession answers 401 without a login', async () => {
    const response = await send('GET', '/me')
    assert.equal(response.status, 401)
    assert.deepEqual(await response.json(), { error: 'UNAUTHENTICATED' })
  })

  await step('a login is stored in Redis, the cookie carries only its id', async () => {
    const response = await send('POST', '/login', { userId: 'user-42' })
    assert.equal(response.status, 204)
    const token = jar.get('login')
    assert.ok(token, 'the login cookie is set')
    assert.ok(!decodeURIComponent(token).includes('user-42'), 'the cookie does not hold the value')
    const keys = (await redis.keys(`${redisPrefix}*`)).filter((key) => !key.includes(':owner:'))
    assert.equal(keys.length, 1, 'one session entry in Redis')
    const stored = JSON.stringify(await redis.hgetall(keys[0]!))
    assert.ok(stored.includes('user-42'), 'Redis holds the value')
  })

  await step('requireSession lets the logged-in request through', async () => {
    const response = await send('GET', '/me')
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { userId: 'user-42' })
  })

  await step('logout ends the session in Redis', async () => {
    const token = jar.get('login')!
    assert.equal((await send('POST', '/logout')).status, 204)
    assert.equal(jar.has('login'), false, 'the login cookie is cleared')
    const keys = (await redis.keys(`${redisPrefix}*`)).filter((key) => !key.includes(':owner:'))
    assert.deepEqual(keys, [])
    const replay = await send('GET', '/me', undefined, `login=${token}`)
    assert.equal(replay.status, 401, 'the old cookie no longer signs in')
  })
} finally {
  server.closeAllConnections()
  server.close()
  const keys = await redis.keys(`${redisPrefix}*`)
  if (keys.length > 0) await redis.del(...keys)
  await redis.quit()
}
