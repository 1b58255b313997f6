import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { connectBenchRedis } from '../../lib/redis'
import type { Cart } from '../../workload'
import { BENCH_SECRET, body, bump, newCart } from '../../workload'
import type { BenchServer } from './common'
import { benchServer } from './common'

/** node:http with no session: the ceiling every other row is compared with. */
export function startBare(): Promise<BenchServer> {
  const text = body(1)
  const server = createServer((_req, res) => {
    res.statusCode = 200
    res.setHeader('content-type', 'application/json')
    res.end(text)
  })
  return benchServer(server, { sessions: false })
}

/**
 * node:http keeping the cart in a plain cookie, with no library and no crypto: the cookie's base64url
 * JSON read, bumped, and written back with the attributes a session cookie carries (Max-Age, Expires,
 * Path, HttpOnly, SameSite). What any cookie session costs on node:http at the least, the bytes and
 * the codec with nothing to trust them: a floor to compare with, never a way to keep sessions.
 */
export function startPlainCookie(): Promise<BenchServer> {
  return benchServer(createServer(cookieCartHandler(false)), { sessions: true })
}

/**
 * The same cookie signed by hand, with no library: HMAC-SHA256 over the base64url JSON, its tag
 * checked with `timingSafeEqual` on every read and computed again on every write. The least work any
 * signed cookie session does on node:http (a library adds expiry, key rotation, typed errors...):
 * the floor of the signed row, measured over HTTP where the codec group only adds up the primitives.
 */
export function startSignedCookie(): Promise<BenchServer> {
  return benchServer(createServer(cookieCartHandler(true)), { sessions: true })
}

const PLAIN_MAX_AGE = 7 * 86_400
const HAND_SIGNING_KEY = createHmac('sha256', BENCH_SECRET).update('hand-signed cookie').digest()

const tagOf = (text: string): Buffer => createHmac('sha256', HAND_SIGNING_KEY).update(text).digest()

function cookieCartHandler(signed: boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const cart = bump(readCart(req.headers.cookie, signed), newCart)
    let value = Buffer.from(JSON.stringify(cart)).toString('base64url')
    if (signed) value += `.${tagOf(value).toString('base64url')}`
    const expires = new Date(Date.now() + PLAIN_MAX_AGE * 1000).toUTCString()
    res.statusCode = 200
    res.setHeader('content-type', 'application/json')
    res.appendHeader(
      'set-cookie',
      `cart=${value}; Max-Age=${PLAIN_MAX_AGE}; Expires=${expires}; Path=/; HttpOnly; SameSite=Lax`,
    )
    res.end(body(cart.count))
  }
}

function readCart(header: string | undefined, signed: boolean): Cart | null {
  const start = header === undefined ? -1 : header.indexOf('cart=')
  if (start < 0) return null
  const end = header!.indexOf(';', start)
  let value = header!.slice(start + 5, end < 0 ? undefined : end)
  if (signed) {
    const dot = value.lastIndexOf('.')
    const tag = Buffer.from(value.slice(dot + 1), 'base64url')
    value = value.slice(0, Math.max(dot, 0))
    const expected = tagOf(value)
    if (dot < 0 || tag.length !== expected.length || !timingSafeEqual(tag, expected)) return null
  }
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString())
  } catch {
    return null
  }
}

/**
 * node:http keeping the cart in Redis by hand, with no session library: the cookie carries a random
 * id (no signature), each request reads the cart with one GET, and writes it back with one SET with
 * an expiry (a new session also gets its Set-Cookie). The least any server-stored session does per
 * read-modify-write on Redis: two round trips and the codec; the floor of the Redis row.
 */
export async function startRedisByHand(): Promise<BenchServer> {
  const { client, prefix, close } = await connectBenchRedis('hand')
  const server = createServer(async (req, res) => {
    const header = req.headers.cookie
    const start = header === undefined ? -1 : header.indexOf('sid=')
    const end = start < 0 ? -1 : header!.indexOf(';', start)
    const given = start < 0 ? undefined : header!.slice(start + 4, end < 0 ? undefined : end)
    let id = given !== undefined && /^[\w-]{32}$/.test(given) ? given : undefined
    const stored = id === undefined ? null : await client.get(prefix + id)
    let current: Cart | null = null
    try {
      current = stored === null ? null : (JSON.parse(stored) as Cart)
    } catch {
      current = null
    }
    const cart = bump(current, newCart)
    if (id === undefined) {
      id = randomBytes(24).toString('base64url')
      res.appendHeader('set-cookie', `sid=${id}; Max-Age=${PLAIN_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax`)
    }
    await client.set(prefix + id, JSON.stringify(cart), 'EX', PLAIN_MAX_AGE)
    res.statusCode = 200
    res.setHeader('content-type', 'application/json')
    res.end(body(cart.count))
  })
  return benchServer(server, { sessions: true }, close)
}
