import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { createStaticFiles } from '../../server/static-files'
import {
  button,
  documentCookie,
  expectText,
  hasChromium,
  launchChromium,
  newContext,
  openPlayground,
  screenshot,
} from '../helpers/chromium'

/** A static host and nothing else: what the offline mode is for. It counts what reached /api. */
let host: Server
let origin: string
let apiHits = 0
let browser: Browser
let context: BrowserContext
let page: Page

describe.skipIf(!hasChromium)('the offline mode in Chromium: msw serves the API, no server', () => {
  beforeAll(async () => {
    const serveStatic = createStaticFiles(inject('spaDir'))
    host = createServer((req, res) => {
      if (req.url?.startsWith('/api/')) apiHits++
      void serveStatic(req, res)
    })
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    host?.closeAllConnections()
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()))
    // Every API call was answered in the page: not one reached the static host.
    expect(apiHits).toBe(0)
  })
  beforeEach(async () => {
    context = await newContext(browser)
    page = await openPlayground(context, `${origin}/?offline`)
  })
  afterEach(async () => {
    await context?.close()
  })

  it('says where the API runs and what it cannot do offline', async () => {
    await expectText(page.getByTestId('mode'), 'offline: msw in this page')
    await expectText(page.getByTestId('mode'), 'localStorage storage')
    await expectText(
      page.getByTestId('offline-note'),
      "msw's service worker (mockServiceWorker.js) intercepts",
    )
    await expectText(page.getByTestId('offline-note'), 'cannot carry Set-Cookie')
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(
      /\/mockServiceWorker\.js$/,
    )
    await screenshot(page, 'offline-overview')
  })

  it('cart: signed by the engine in the page, verified by the client, tampering refused', async () => {
    await button(page, 'cart', /Add Gold tessera/).click()
    await expectText(page.getByTestId('cart-lines'), '× 1')
    await button(page, 'cart', /Add Gold tessera/).click()
    await expectText(page.getByTestId('cart-lines'), '× 2')
    await expectText(page.getByTestId('cart-browser-check'), 'signature verified in this page')
    expect(await documentCookie(page, 'cart')).toMatch(/^v1\.e\.0\./)

    await page.getByTestId('cart-tamper').click()
    await expectText(page.getByTestId('cart-browser-check'), 'refused it: SIGNATURE_INVALID')
    await button(page, 'cart', 'Ask the server').click()
    await expectText(page.getByTestId('cart-server-check'), 'refused it: SIGNATURE_INVALID')
    await expectText(page.getByTestId('cart-log'), 'cookie cleared')
    expect(await documentCookie(page, 'cart')).toBeUndefined()
    await screenshot(page, 'offline-cart')
  })

  it('login: regenerated at sign-in, and signed out everywhere across tabs', async () => {
    await button(page, 'login', /Sign in as Ada/).click()
    await expectText(page.getByTestId('login-status'), 'Signed in')
    const firstId = await page.getByTestId('login-token-id').textContent()
    await button(page, 'login', /Sign in as Ada/).click()
    await expectText(page.getByTestId('login-regenerated'), `${firstId} →`)
    expect(await page.getByTestId('login-token-id').textContent()).not.toBe(firstId)

    // A second tab: its own sessionStorage (its own login), the same localStorage (the same storage).
    const tab = await openPlayground(context, `${origin}/?offline`)
    await button(tab, 'login', /Sign in as Ada/).click()
    await expectText(tab.getByTestId('login-status'), 'Signed in')
    await button(page, 'login', 'Sign out everywhere').click()
    await expectText(page.getByTestId('login-ended'), '2 session(s) ended')
    await button(tab, 'login', 'Ask the server').click()
    await expectText(tab.getByTestId('login-server-check'), 'refused it: NOT_FOUND')
    await screenshot(page, 'offline-login')
  })

  it('prefs: the schema refuses what the page forged, in the page and in the offline API', async () => {
    await page.getByTestId('prefs-write-refused').click()
    await expectText(page.getByTestId('prefs-browser-check'), 'refused it: SCHEMA_FAILED')
    await button(page, 'prefs', 'Ask the server').click()
    await expectText(page.getByTestId('prefs-server-check'), 'refused it: SCHEMA_FAILED')
    expect(await documentCookie(page, 'prefs')).toBeUndefined()
    await screenshot(page, 'offline-prefs')
  })

  it('vault: sealed, kept out of document.cookie, opened by the offline API, refused when tampered', async () => {
    await page.getByTestId('vault-panel').getByLabel('A note for the vault').fill('offline and still sealed')
    await button(page, 'vault', 'Seal it (server)').click()
    await expectText(page.getByTestId('vault-token'), 'vault=v1.x.0.')
    expect(await documentCookie(page, 'vault')).toBeUndefined()
    await expectText(page.getByTestId('vault-document-check'), 'msw keeps it in its own jar')
    await button(page, 'vault', 'Ask the server to open it').click()
    await expectText(page.getByTestId('vault-value'), 'offline and still sealed')
    await page.getByTestId('vault-tamper').click()
    await expectText(page.getByTestId('vault-server-check'), 'refused it: SIGNATURE_INVALID')
    await screenshot(page, 'offline-vault')
  })
})
