import { createServer } from 'node:http'
import type { Cart } from '../../workload'
import { body, bump, newCart } from '../../workload'
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
  const server = createServer((req, res) => {
    const cart = bump(readPlainCart(req.headers.cookie), newCart)
    const value = Buffer.from(JSON.stringify(cart)).toString('base64url')
    const expires = new Date(Date.now() + PLAIN_MAX_AGE * 1000).toUTCString()
    res.statusCode = 200
    res.setHeader('content-type', 'application/json')
    res.appendHeader(
      'set-cookie',
      `cart=${value}; Max-Age=${PLAIN_MAX_AGE}; Expires=${expires}; Path=/; HttpOnly; SameSite=Lax`,
    )
    res.end(body(cart.count))
  })
  return benchServer(server, { sessions: true })
}

const PLAIN_MAX_AGE = 7 * 86_400

function readPlainCart(header: string | undefined): Cart | null {
  const start = header === undefined ? -1 : header.indexOf('cart=')
  if (start < 0) return null
  const end = header!.indexOf(';', start)
  try {
    return JSON.parse(
      Buffer.from(header!.slice(start + 5, end < 0 ? undefined : end), 'base64url').toString(),
    )
  } catch {
    return null
  }
}
