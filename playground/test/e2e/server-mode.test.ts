import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import type { PlaygroundServer } from '../../server/playground-server'
import { startPlaygroundServer } from '../../server/playground-server'
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

let server: PlaygroundServer
let browser: Browser
let context: BrowserContext
let page: Page

describe.skipIf(!hasChromium)('the playground in Chromium, served by the Node server', () => {
  beforeAll(async () => {
    server = await startPlaygroundServer({
      host: '127.0.0.1',
      port: 0,
      storage: 'memory',
      secret: { value: 'playground end-to-end tests: 32+ bytes of secret', source: 'env' },
      staticDir: inject('spaDir'),
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  beforeEach(async () => {
    context = await newContext(browser)
    page = await openPlayground(context, `${server.url}/`)
  })
  afterEach(async () => {
    await context?.close()
  })

  it('shows the mode, the storage and where the secret came from', async () => {
    await expectText(page.getByTestId('mode'), 'server: Node')
    await expectText(page.getByTestId('mode'), 'in-memory storage')
    await expectText(page.getByTestId('mode'), 'secret from TESSERA_SECRET')
    expect(await page.getByTestId('offline-note').count()).toBe(0)
  })

  it('cart: adds lines the page verifies, then refuses a tampered cookie and the server clears it', async () => {
    await button(page, 'cart', /Add Red tessera/).click()
    await expectText(page.getByTestId('cart-lines'), '× 1')
    await button(page, 'cart', /Add Red tessera/).click()
    await expectText(page.getByTestId('cart-lines'), '× 2')
    await button(page, 'cart', /Add Mosaic starter kit/).click()
    await expectText(page.getByTestId('cart-total'), '€26.40')
    await expectText(
      page.getByTestId('cart-browser-check'),
      'signature verified in this page with public key "0"',
    )
    await expectText(page.getByTestId('cart-value'), 'Map(2)')
    expect(await documentCookie(page, 'cart')).toMatch(/^v1\.e\.0\./)
    await screenshot(page, 'server-cart-verified')

    await page.getByTestId('cart-tamper').click()
    await expectText(page.getByTestId('cart-browser-check'), 'refused it: SIGNATURE_INVALID')
    await expectText(page.getByTestId('cart-empty'), 'did not verify')
    await expectText(page.getByTestId('cart-server-check'), 'has not seen this token yet')
    await button(page, 'cart', 'Ask the server').click()
    await expectText(page.getByTestId('cart-server-check'), 'refused it: SIGNATURE_INVALID')
    await expectText(page.getByTestId('cart-log'), 'cookie cleared')
    expect(await documentCookie(page, 'cart')).toBeUndefined()
    await screenshot(page, 'server-cart-tampered')
  })

  it('cart: a token issued for 10 seconds expires in the page and on the server', async () => {
    await button(page, 'cart', /Add Grout/).click()
    await expectText(page.getByTestId('cart-lines'), 'Grout')
    await button(page, 'cart', /Expire in 10 s/).click()
    await expectText(page.getByTestId('cart-expiry'), /in (9|10) s/)
    await expectText(
      page.getByTestId('cart-browser-check'),
      /expired .* ago: client\.get\(\) returns null/,
      13_000,
    )
    await expectText(page.getByTestId('cart-empty'), 'The cart cookie expired: this page shows nothing.')
    await button(page, 'cart', 'Ask the server').click()
    await expectText(page.getByTestId('cart-server-check'), 'refused it: EXPIRED')
    expect(await documentCookie(page, 'cart')).toBeUndefined()
    await screenshot(page, 'server-cart-expired')
  })

  it('login: signing in again regenerates the id, and a tampered header is refused and dropped', async () => {
    await button(page, 'login', /Sign in as Ada/).click()
    await expectText(page.getByTestId('login-status'), 'Signed in')
    const firstId = await page.getByTestId('login-token-id').textContent()
    expect(firstId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(await page.evaluate(() => sessionStorage.getItem('tessera:login'))).toMatch(/^v1\.s\.0\./)

    await button(page, 'login', /Sign in as Grace/).click()
    await expectText(page.getByTestId('login-value'), 'Grace Hopper')
    const secondId = await page.getByTestId('login-token-id').textContent()
    expect(secondId).not.toBe(firstId)
    await expectText(page.getByTestId('login-regenerated'), `${firstId} → ${secondId}`)
    await screenshot(page, 'server-login-regenerated')

    await page.getByTestId('login-tamper').click()
    await button(page, 'login', 'Ask the server').click()
    await expectText(page.getByTestId('login-server-check'), 'refused it: SIGNATURE_INVALID')
    await expectText(page.getByTestId('login-log'), 'response header login: cleared')
    expect(await page.evaluate(() => sessionStorage.getItem('tessera:login'))).toBeNull()
    await expectText(page.getByTestId('login-token'), 'no login header')
  })

  it('login: signing out everywhere ends the session of another browser', async () => {
    const otherContext = await newContext(browser)
    try {
      const other = await openPlayground(otherContext, `${server.url}/`)
      await button(page, 'login', /Sign in as Linus/).click()
      await button(other, 'login', /Sign in as Linus/).click()
      await expectText(page.getByTestId('login-status'), 'Signed in')
      await expectText(other.getByTestId('login-status'), 'Signed in')

      await button(page, 'login', 'Sign out everywhere').click()
      await expectText(page.getByTestId('login-ended'), 'Signed out everywhere: 2 session(s) ended')
      await button(other, 'login', 'Ask the server').click()
      await expectText(other.getByTestId('login-server-check'), 'refused it: NOT_FOUND')
      await expectText(other.getByTestId('login-status'), 'Not signed in')
      await screenshot(page, 'server-login-everywhere')
      await screenshot(other, 'server-login-everywhere-other-browser')
    } finally {
      await otherContext.close()
    }
  })

  it('prefs: the page writes them, the server reads them, and refuses what the schema refuses', async () => {
    const form = page.getByTestId('prefs-panel')
    await form.getByLabel('Theme').selectOption('dark')
    await form.getByLabel('Text size').fill('18')
    await button(page, 'prefs', 'Save in the browser').click()
    await expectText(page.getByTestId('prefs-browser-check'), 'passed the schema in this page')
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await button(page, 'prefs', 'Ask the server').click()
    await expectText(page.getByTestId('prefs-server-value'), 'theme: "dark"')
    await expectText(page.getByTestId('prefs-server-check'), 'passed the schema')

    await form.getByLabel('Text size').fill('40')
    await button(page, 'prefs', 'Save in the browser').click()
    await expectText(page.getByTestId('prefs-message'), 'client.set refused it (INVALID_VALUE)')

    await page.getByTestId('prefs-write-refused').click()
    await expectText(page.getByTestId('prefs-browser-check'), 'refused it: SCHEMA_FAILED')
    await button(page, 'prefs', 'Ask the server').click()
    await expectText(page.getByTestId('prefs-server-check'), 'refused it: SCHEMA_FAILED')
    await expectText(page.getByTestId('prefs-server-value'), 'null')
    expect(await documentCookie(page, 'prefs')).toBeUndefined()
    await screenshot(page, 'server-prefs-refused')
  })

  it('vault: unreadable in the page, sealed in an HttpOnly cookie, opened by the server', async () => {
    const note = 'the key is under the third olive tree'
    await page.getByTestId('vault-panel').getByLabel('A note for the vault').fill(note)
    await button(page, 'vault', 'Seal it (server)').click()
    await expectText(page.getByTestId('vault-log'), 'Set-Cookie: vault=v1.x.0.')
    await expectText(page.getByTestId('vault-status'), 'The server sealed the note into a new vault cookie')
    expect(await documentCookie(page, 'vault')).toBeUndefined()
    const jar = (await context.cookies(server.url)).find((cookie) => cookie.name === 'vault')
    expect(jar).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
    expect(jar?.value).toMatch(/^v1\.x\.0\./)
    expect(jar?.value).not.toContain('olive')

    // A fresh page knows only what it can read itself: not the note.
    await page.reload()
    await page.getByTestId('vault-panel').waitFor()
    await expectText(page.getByTestId('vault-document-check'), 'has no vault cookie: it is HttpOnly')
    await button(page, 'vault', 'Try to read it here').click()
    await expectText(page.getByTestId('vault-client-check'), 'client.get(Vault) throws INVALID_OPERATION')
    expect(await page.evaluate(() => document.body.textContent?.includes('third olive tree'))).toBe(false)
    expect(await page.getByLabel('A note for the vault').inputValue()).not.toContain('olive')

    await button(page, 'vault', 'Ask the server to open it').click()
    await expectText(page.getByTestId('vault-value'), note)
    await expectText(page.getByTestId('vault-server-check'), 'opened the box')
    await expectText(page.getByTestId('vault-status'), 'The server opened the vault')
    await screenshot(page, 'server-vault-opened')

    await button(page, 'vault', 'Forget it').click()
    await expectText(
      page.getByTestId('vault-server-check'),
      'ended the session: its answer cleared the token',
    )
    await expectText(page.getByTestId('vault-status'), 'The server forgot the vault')
    await expect
      .poll(async () => (await context.cookies(server.url)).some((cookie) => cookie.name === 'vault'))
      .toBe(false)

    await button(page, 'vault', 'Seal it (server)').click()
    await expectText(page.getByTestId('vault-status'), 'The server sealed the note')

    await page.getByTestId('vault-tamper').click()
    await expectText(page.getByTestId('vault-server-check'), 'refused it: SIGNATURE_INVALID')
    await expect
      .poll(async () => (await context.cookies(server.url)).some((cookie) => cookie.name === 'vault'))
      .toBe(false)
    await screenshot(page, 'server-vault-tampered')
  })
})
