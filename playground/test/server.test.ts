import { get } from 'node:http'
import { webCrypto } from '@tessera/core'
import { createEd25519Opener, decodeBase64url } from '@tessera/core/internal'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { PlaygroundServer } from '../server/playground-server'
import { startPlaygroundServer } from '../server/playground-server'
import { ApiClient } from './helpers/http-client'

const SECRET = { value: 'the playground API tests: a secret of 32+ bytes', source: 'env' as const }

let server: PlaygroundServer

beforeAll(async () => {
  server = await startPlaygroundServer({
    host: '127.0.0.1',
    port: 0,
    storage: 'memory',
    secret: SECRET,
    staticDir: inject('spaDir'),
  })
})
afterAll(async () => {
  await server?.close()
})

/** The status of a GET whose path goes out exactly as written. */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(`${server.url}${path}`, { timeout: 5000 }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.on('error', reject)
    request.on('timeout', () => request.destroy(new Error('timed out')))
  })
}

/** The claims of a v1 token whose iat and exp travel in the clear. */
const claims = (token: string) => {
  const [, , , iat, exp] = token.split('.')
  return { iat: Number(iat), exp: Number(exp) }
}

describe('the playground API over HTTP', () => {
  it('gives the page its public keys, and a cart the page can verify with them', async () => {
    const browser = new ApiClient(server.url)
    const config = (await browser.send('/api/config')).body
    expect(config).toMatchObject({ mode: 'server', storage: 'memory', secret: 'env', shortLifetime: 10 })
    expect(Object.keys(config.publicKeys.cart)).toEqual(['0'])

    await browser.send('/api/cart/items', { method: 'POST', body: { sku: 'TILE-RED' } })
    const second = await browser.send('/api/cart/items', { method: 'POST', body: { sku: 'TILE-RED' } })
    expect(second.status).toBe(200)
    expect(second.body.report.received).toMatch(/^v1\.e\.0\./)
    expect(second.body.report.value).toContain('Map(1)')
    expect(second.body.report.value).toContain('qty: 2')
    expect(second.setCookies[0]).toMatch(/^cart=v1\.e\.0\..*; Path=\/; SameSite=Lax$/)
    expect(second.setCookies[0]).not.toContain('HttpOnly')

    // What the browser does: verify the Ed25519 signature with nothing but the public key.
    const key = decodeBase64url(config.publicKeys.cart['0'])!
    const opener = createEd25519Opener({ name: 'cart', verifierFor: () => webCrypto.ed25519Verifier(key) })
    const opened = await opener.open(browser.cookies.get('cart')!, Math.floor(Date.now() / 1000))
    expect(opened.ok).toBe(true)
    // A forger who raises the quantity in the body keeps the shape and loses the signature.
    const parts = browser.cookies.get('cart')!.split('.')
    parts[5] = Buffer.from(
      Buffer.from(parts[5]!, 'base64url').toString().replace('"qty":2', '"qty":9'),
    ).toString('base64url')
    const forged = parts.join('.')
    expect(forged).not.toBe(browser.cookies.get('cart'))
    expect((await opener.open(forged, Math.floor(Date.now() / 1000))).ok).toBe(false)
  })

  it('refuses a tampered cart, reports why, and clears the cookie', async () => {
    const browser = new ApiClient(server.url)
    await browser.send('/api/cart/items', { method: 'POST', body: { sku: 'KIT' } })
    const token = browser.cookies.get('cart')!
    const at = token.length - 10
    browser.cookies.set('cart', token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1))
    const reply = await browser.send('/api/cart')
    expect(reply.body.report).toMatchObject({ value: null, reason: 'SIGNATURE_INVALID' })
    expect(reply.body.report.check).toEqual({ ok: false, reason: 'SIGNATURE_INVALID' })
    expect(reply.setCookies).toEqual([expect.stringMatching(/^cart=; Max-Age=0;/)])
    expect(reply.trace.invalid).toEqual([{ session: 'cart', reason: 'SIGNATURE_INVALID' }])
    expect(reply.trace.cookies).toEqual([expect.objectContaining({ name: 'cart', value: null })])
    expect(browser.cookies.has('cart')).toBe(false)
  })

  it('reissues a session for 10 seconds when asked with the lifetime header', async () => {
    const browser = new ApiClient(server.url)
    await browser.send('/api/cart/items', { method: 'POST', body: { sku: 'GROUT' } })
    const week = claims(browser.cookies.get('cart')!)
    expect(week.exp - week.iat).toBe(7 * 86_400)
    const reply = await browser.send('/api/cart/reissue', {
      method: 'POST',
      headers: { 'x-playground-lifetime': 'short' },
    })
    expect(reply.status).toBe(200)
    const short = claims(browser.cookies.get('cart')!)
    expect(short.exp - short.iat).toBe(10)
    // The cookie outlives the token on purpose: the expiry that counts is the one inside it.
    expect(reply.setCookies[0]).toMatch(/Max-Age=604800;/)
    // The ordinary engine still reads the short token, and does not renew it.
    const read = await browser.send('/api/cart')
    expect(read.body.report.value).toContain('Grout')
    expect(read.setCookies).toEqual([])
    expect((await new ApiClient(server.url).send('/api/cart/reissue', { method: 'POST' })).status).toBe(409)
  })

  it('regenerates the login id at sign-in and ends the old one', async () => {
    const browser = new ApiClient(server.url)
    const first = await browser.send('/api/login', { method: 'POST', body: { userId: 'ada' } })
    expect(first.body.previousId).toBeNull()
    const firstId = first.body.report.id as string
    expect(first.login).toMatch(/^v1\.s\.0\./)
    const oldToken = browser.login!

    const second = await browser.send('/api/login', { method: 'POST', body: { userId: 'grace' } })
    expect(second.body.previousId).toBe(firstId)
    expect(second.body.report.id).not.toBe(firstId)
    expect(second.body.report.value).toContain('Grace Hopper')
    expect(second.trace.headers.login).toBe(browser.login)

    const replay = await browser.send('/api/login', { headers: { login: oldToken } })
    expect(replay.body.report).toMatchObject({ value: null, reason: 'NOT_FOUND' })
    expect(replay.login).toBe('cleared')
  })

  it('signs a user out everywhere through the owner index', async () => {
    const laptop = new ApiClient(server.url)
    const phone = new ApiClient(server.url)
    const other = new ApiClient(server.url)
    await laptop.send('/api/login', { method: 'POST', body: { userId: 'linus' } })
    await phone.send('/api/login', { method: 'POST', body: { userId: 'linus' } })
    await other.send('/api/login', { method: 'POST', body: { userId: 'ada' } })
    const ended = await laptop.send('/api/login/everywhere', { method: 'POST' })
    expect(ended.body.ended).toBe(2)
    expect(ended.login).toBe('cleared')
    const phoneView = await phone.send('/api/login')
    expect(phoneView.body.report).toMatchObject({ value: null, reason: 'NOT_FOUND' })
    expect((await other.send('/api/login')).body.report.value).toContain('Ada Lovelace')
    expect((await laptop.send('/api/login/everywhere', { method: 'POST' })).status).toBe(401)
  })

  it('reads preferences the browser wrote, and refuses those the schema refuses', async () => {
    const browser = new ApiClient(server.url)
    const none = (value: unknown) => {
      const now = Math.floor(Date.now() / 1000)
      return `v1.n.${now}.${now + 60}.${Buffer.from(JSON.stringify({ json: value })).toString('base64url')}`
    }
    browser.cookies.set('prefs', none({ theme: 'dark', accent: 'violet', fontSize: 18 }))
    const good = await browser.send('/api/prefs')
    expect(good.body.report).toMatchObject({ reason: null, check: { ok: true, kid: null } })
    expect(good.body.report.value).toContain('"violet"')

    browser.cookies.set('prefs', none({ theme: 'neon', accent: 'teal', fontSize: 40 }))
    const refused = await browser.send('/api/prefs')
    expect(refused.body.report).toMatchObject({ value: null, reason: 'SCHEMA_FAILED', check: { ok: true } })
    expect(refused.setCookies).toEqual([expect.stringMatching(/^prefs=; Max-Age=0;/)])
  })

  it('seals the vault in an HttpOnly cookie, opens it, and refuses it tampered on arrival', async () => {
    const browser = new ApiClient(server.url)
    const sealed = await browser.send('/api/vault', {
      method: 'POST',
      body: { note: 'under the olive tree' },
    })
    expect(sealed.setCookies[0]).toMatch(/^vault=v1\.x\.0\.[A-Za-z0-9_-]+; Max-Age=604800; .*HttpOnly/)
    expect(sealed.setCookies[0]).not.toContain('olive')
    const opened = await browser.send('/api/vault')
    expect(opened.body.report.value).toContain('"under the olive tree"')
    expect(opened.body.report.check).toMatchObject({ ok: true, kid: '0' })

    const tampered = await browser.send('/api/vault', { headers: { 'x-playground-tamper': 'vault' } })
    expect(tampered.body.report).toMatchObject({ value: null, reason: 'SIGNATURE_INVALID' })
    expect(tampered.body.report.received).not.toBe(opened.body.report.received)
    expect(tampered.setCookies).toEqual([expect.stringMatching(/^vault=; Max-Age=0;/)])
    expect((await browser.send('/api/vault')).body.report.received).toBeNull()
  })

  it('answers bad input, unknown routes, wrong methods and oversized bodies', async () => {
    const browser = new ApiClient(server.url)
    expect((await browser.send('/api/cart/items', { method: 'POST', body: { sku: 'NOPE' } })).status).toBe(
      400,
    )
    expect((await browser.send('/api/login', { method: 'POST', body: { userId: 'mallory' } })).status).toBe(
      400,
    )
    expect((await browser.send('/api/vault', { method: 'POST', body: { note: '' } })).status).toBe(400)
    expect((await browser.send('/api/nothing')).status).toBe(404)
    expect((await browser.send('/api/prefs', { method: 'DELETE' })).status).toBe(405)
    expect(
      (await browser.send('/api/vault', { method: 'POST', body: { note: 'x'.repeat(20_000) } })).status,
    ).toBe(413)
  })

  it('serves the built page, its assets and the msw worker, and nothing outside them', async () => {
    const page = await fetch(`${server.url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
    expect((await fetch(`${server.url}/some/client/route`)).headers.get('content-type')).toContain(
      'text/html',
    )
    const worker = await fetch(`${server.url}/mockServiceWorker.js`)
    expect(await worker.text()).toContain('Mock Service Worker')
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404)
    // Sent as is (fetch would normalise it): an encoded path that climbs out of the page's folder.
    expect(await rawStatus('/..%2f..%2fpackage.json')).toBe(404)
    expect(await rawStatus('/..%2F..%2Fserver%2Fmain.ts')).toBe(404)
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405)
  })
})
