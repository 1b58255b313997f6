import type { Browser, BrowserContext, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { chromiumLaunchOptions, chromiumPresent } from '../../../../scripts/chromium.mjs'
import type { TestServers } from './app/server'
import { startServers } from './app/server'

const hasChromium = chromiumPresent('the browser tests are')

/** What the page put on `window.app` (see app/page.ts). */
type App = {
  client: import('../../src').SessionClient<any>
  /** Another client of the same sessions (and the same sessionStorage) for other `origins`. */
  clientFor(origins: string[]): import('../../src').SessionClient<any>
  /** readSession of the cart, with the server's public keys. */
  readCart(): Promise<unknown>
  Cart: any
  Prefs: any
  Login: any
  invalid: { session: string; reason: string }[]
  changes: { session: string; value: unknown }[]
}
declare const app: App

let browser: Browser
let servers: TestServers
let context: BrowserContext
let page: Page

async function openPage(): Promise<Page> {
  const opened = await context.newPage()
  await opened.goto(`${servers.origin}/`)
  await opened.waitForFunction(() => (window as { app?: { ready?: boolean } }).app?.ready === true)
  return opened
}

describe.skipIf(!hasChromium)('in Chromium against a real server', () => {
  beforeAll(async () => {
    servers = await startServers()
    browser = await chromium.launch(chromiumLaunchOptions())
  })
  afterAll(async () => {
    await browser?.close()
    await servers?.close()
  })
  beforeEach(async () => {
    servers.thirdPartySeen.length = 0
    servers.apiSeen.length = 0
    context = await browser.newContext()
    page = await openPage()
  })
  afterEach(async ({ task }) => {
    // A failing test leaves a picture of the page in test-results/ (git-ignored) for the CI log.
    if (task.result?.state === 'fail') {
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)
      await page.screenshot({ path: `test-results/${name}.png` }).catch(() => undefined)
    }
    await context.close()
  })

  it('reads and verifies a signed client-visible cookie the server set (client and readSession)', async () => {
    const cart = { items: [{ sku: 'A-1', qty: 2 }] }
    const read = await page.evaluate(async (value) => {
      const response = await app.client.fetch('/api/cart', { method: 'POST', body: JSON.stringify(value) })
      return {
        status: response.status,
        cart: await app.client.get(app.Cart),
        alone: await app.readCart(),
        visible: document.cookie.includes('cart=v1.e.'),
      }
    }, cart)
    expect(read).toEqual({ status: 204, cart, alone: cart, visible: true })
    // Verified with WebCrypto's Ed25519: the tweetnacl fallback was never downloaded.
    expect(servers.assetsServed.some((path) => path.includes('nacl'))).toBe(false)
    // The fetch part was loaded on first use; the cookie writer (js-cookie) never was: nothing was written.
    expect(servers.assetsServed.some((path) => path.includes('session-fetch'))).toBe(true)
    expect(servers.assetsServed.some((path) => path.includes('cookie-writer'))).toBe(false)
  })

  it('rejects a tampered cookie (client and readSession)', async () => {
    await page.evaluate(() =>
      app.client.fetch('/api/cart', { method: 'POST', body: '{"items":[{"sku":"A-1","qty":1}]}' }),
    )
    const cookie = (await context.cookies(servers.origin)).find((each) => each.name === 'cart')
    expect(cookie?.httpOnly).toBe(false)
    const parts = cookie!.value.split('.')
    // Raise the quantity in the signed body: a valid token shape with a signature that no longer matches.
    parts[5] = Buffer.from('{"json":{"items":[{"sku":"A-1","qty":9}]}}').toString('base64url')
    await context.addCookies([{ ...cookie!, value: parts.join('.') }])
    const read = await page.evaluate(async () => ({
      cart: await app.client.get(app.Cart),
      alone: await app.readCart(),
      invalid: app.invalid,
    }))
    expect(read).toEqual({
      cart: null,
      alone: null,
      invalid: [
        { session: 'cart', reason: 'SIGNATURE_INVALID' },
        { session: 'cart', reason: 'SIGNATURE_INVALID' },
      ],
    })
  })

  it('a cookie tossed for a longer path, sent first, neither replaces nor signs out the real one (#13, 5)', async () => {
    const cart = { items: [{ sku: 'A-1', qty: 1 }] }
    const read = await page.evaluate(async (value) => {
      await app.client.fetch('/api/cart', { method: 'POST', body: JSON.stringify(value) })
      await fetch('/api/toss', { method: 'POST' })
      return (await fetch('/api/shop/cart')).json()
    }, cart)
    expect(read).toEqual({ carts: 2, tossedFirst: true, cart })
    const carts = (await context.cookies()).filter((each) => each.name === 'cart')
    expect(carts.map((each) => [each.path, each.value.startsWith('v1.e.')])).toEqual(
      expect.arrayContaining([
        ['/', true],
        ['/api/shop', false],
      ]),
    )
    expect(carts).toHaveLength(2)
  })

  it('carries a header session the server set on the next fetch, and drops it when the server clears it', async () => {
    const flow = await page.evaluate(async () => {
      const me = async () => (await app.client.fetch('/api/me')).json()
      const before = await me()
      await app.client.fetch('/api/login', { method: 'POST', body: JSON.stringify({ userId: 'u-42' }) })
      const stored = sessionStorage.getItem('tessera:login')
      const during = await me()
      await app.client.fetch('/api/logout', { method: 'POST' })
      const after = await me()
      return { before, stored, has: app.client.has(app.Login), during, after, changes: app.changes }
    })
    expect(flow.before.login).toBeNull()
    expect(flow.stored).toMatch(/^v1\.s\./)
    expect(flow.during.login).toEqual({ userId: 'u-42' })
    expect(flow.after.login).toBeNull()
    expect(flow.has).toBe(false)
    expect(flow.changes.filter((change) => change.session === 'login')).toEqual([
      { session: 'login', value: true },
      { session: 'login', value: false },
    ])
  })

  it('never sends the header session, nor takes one, from an origin it was not given', async () => {
    const result = await page.evaluate(async (thirdParty) => {
      await app.client.fetch('/api/login', { method: 'POST', body: JSON.stringify({ userId: 'u-7' }) })
      const token = sessionStorage.getItem('tessera:login')
      const response = await app.client.fetch(`${thirdParty}/collect`)
      return { token, exposed: response.headers.get('login'), after: sessionStorage.getItem('tessera:login') }
    }, servers.thirdParty)
    expect(result.exposed).toMatch(/^v1\./)
    expect(result.after).toBe(result.token)
    expect(servers.thirdPartySeen.at(-1)).toMatchObject({ path: '/collect', login: undefined })
  })

  it('writes a browser-owned cookie the server reads', async () => {
    const me = await page.evaluate(async () => {
      await app.client.set(app.Prefs, { theme: 'dark' })
      return (await app.client.fetch('/api/me')).json()
    })
    expect(me.prefs).toEqual({ theme: 'dark' })
    // Writing is what loads the session writer (and js-cookie with it).
    expect(servers.assetsServed.some((path) => path.includes('session-writer'))).toBe(true)
  })

  // Retried once: about one full run in ten here, the first page never heard one of the two changes
  // within 30 s (seen once in CI, not reproduced in 10 runs of this file). Until the cause is found,
  // a failure says which change was missed and what the page's cookies were, to find it by.
  it('sees a change made in a second tab', { retry: 1 }, async () => {
    const other = await openPage()
    await page.evaluate(() => app.client.get(app.Cart))
    await other.evaluate(async () => {
      await app.client.fetch('/api/cart', { method: 'POST', body: '{"items":[{"sku":"B-2","qty":3}]}' })
      await app.client.set(app.Prefs, { theme: 'light' })
    })
    const heard = async (session: string) => {
      try {
        await page.waitForFunction((name) => app.changes.some((change) => change.session === name), session, {
          timeout: 10_000,
        })
      } catch {
        const state = await page.evaluate(() => ({
          changes: app.changes.map((change) => change.session),
          cookies: document.cookie.split('; ').map((pair) => pair.split('=', 1)[0]),
        }))
        throw new Error(`the first page did not hear the ${session} change in 10 s: ${JSON.stringify(state)}`)
      }
    }
    await heard('prefs')
    await heard('cart')
    const seen = await page.evaluate(() => ({ changes: app.changes, cart: app.client.peek(app.Cart) }))
    expect(seen.cart).toEqual({ items: [{ sku: 'B-2', qty: 3 }] })
    expect(seen.changes).toContainEqual({ session: 'prefs', value: { theme: 'light' } })
    expect(seen.changes).toContainEqual({ session: 'cart', value: { items: [{ sku: 'B-2', qty: 3 }] } })
  })

  describe('header sessions and redirects', () => {
    /** Signs in through the page's client; the token it now holds. */
    const signIn = () =>
      page.evaluate(async () => {
        await app.client.fetch('/api/login', { method: 'POST', body: JSON.stringify({ userId: 'u-9' }) })
        return sessionStorage.getItem('tessera:login')
      })

    it("a redirect from the page's own origin to another fails before the header leaves (mode 'same-origin')", async () => {
      const token = await signIn()
      expect(token).toMatch(/^v1\.s\./)
      const outcome = await page.evaluate(() =>
        app.client.fetch('/api/redirect-away').then(
          (response) => `resolved with ${response.status}`,
          (error: Error) => error.name,
        ),
      )
      // Not a preflight, not a request: the third party heard nothing.
      expect(servers.thirdPartySeen).toEqual([])
      expect(outcome).toBe('TypeError')
      expect(await page.evaluate(() => sessionStorage.getItem('tessera:login'))).toBe(token)
    })

    it('a same-origin redirect (POST, then 303) is followed with the session', async () => {
      await signIn()
      const after = await page.evaluate(async () => {
        const response = await app.client.fetch('/api/redirect-home', { method: 'POST' })
        return {
          redirected: response.redirected,
          path: new URL(response.url).pathname,
          body: await response.json(),
        }
      })
      expect(after).toEqual({
        redirected: true,
        path: '/api/me',
        body: { login: { userId: 'u-9' }, prefs: null },
      })
    })

    it('a redirect of an allowed cross-origin API is refused with REDIRECT_BLOCKED (the browser hides where it leads)', async () => {
      const token = await signIn()
      const outcomes = await page.evaluate(async (api) => {
        const client = app.clientFor([location.origin, api])
        const attempt = (path: string) =>
          client.fetch(`${api}${path}`).then(
            async (response) => ({ status: response.status, body: await response.json() }),
            (error: { name: string; code: string; message: string }) => ({
              name: error.name,
              code: error.code,
              message: error.message,
            }),
          )
        return {
          away: await attempt('/away'),
          moved: await attempt('/moved'),
          plain: await attempt('/plain'),
        }
      }, servers.api)
      expect(servers.thirdPartySeen).toEqual([])
      const blocked = { name: 'SessionError', code: 'REDIRECT_BLOCKED' }
      expect(outcomes).toMatchObject({
        away: blocked,
        moved: blocked,
        plain: { status: 200, body: { api: true } },
      })
      const { message } = outcomes.away as { message: string }
      expect(message).not.toContain(servers.thirdParty)
      expect(message).not.toContain(token)
      // Even a redirect inside the API is not followed: the browser does not say where it leads.
      expect(servers.apiSeen.filter((seen) => seen.method === 'GET')).toEqual([
        expect.objectContaining({ path: '/away', login: token }),
        expect.objectContaining({ path: '/moved', login: token }),
        expect.objectContaining({ path: '/plain', login: token }),
      ])
      expect(await page.evaluate(() => sessionStorage.getItem('tessera:login'))).toBe(token)
    })

    it('takes no token from the third party a redirect led to', async () => {
      const result = await page.evaluate(async () => {
        const response = await app.client.fetch('/api/redirect-away')
        return {
          exposed: response.headers.get('login'),
          stored: sessionStorage.getItem('tessera:login'),
          has: app.client.has(app.Login),
        }
      })
      // The browser shows the page the third party's token; the client does not take it.
      expect(result).toEqual({ exposed: expect.stringMatching(/^v1\./), stored: null, has: false })
      expect(servers.thirdPartySeen).toEqual([
        expect.objectContaining({ path: '/landing', login: undefined }),
      ])
    })

    it("an iframe's URL and a relative URL under a <base> go where the browser sends them: no header to a third party", async () => {
      await signIn()
      await page.evaluate(async (thirdParty) => {
        const frame = document.createElement('iframe')
        document.body.append(frame)
        const FrameURL = (frame.contentWindow as unknown as { URL: typeof URL }).URL
        await app.client.fetch(new FrameURL(`${thirdParty}/from-frame`))
        const base = document.createElement('base')
        base.href = `${thirdParty}/`
        document.head.append(base)
        await app.client.fetch('from-base')
        base.remove()
      }, servers.thirdParty)
      expect(servers.thirdPartySeen.map(({ method, path, login }) => ({ method, path, login }))).toEqual([
        { method: 'GET', path: '/from-frame', login: undefined },
        { method: 'GET', path: '/from-base', login: undefined },
      ])
    })
  })
})
