// The production build (`react-router build`) served by react-router-serve and driven in Chromium:
// sign in through an action, the session read by a loader, the Ed25519 cart read by the page itself,
// a tampered cookie signing the user out, and the loader's redirect when there is no session.
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppServer, startApp } from './app-server'
import { hasChromium, launchChromium, newContext, tamper } from './browser'

const appDir = fileURLToPath(new URL('..', import.meta.url))

describe.runIf(hasChromium)('the React Router example, built for production, in Chromium', () => {
  let app: AppServer
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    const serve = fileURLToPath(new URL('../node_modules/.bin/react-router-serve', import.meta.url))
    app = await startApp(serve, ['./build/server/index.js'], { cwd: appDir, readyPath: '/login' })
    browser = await launchChromium()
    context = await newContext(browser)
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  })

  const cookieNamed = async (name: string) =>
    (await context.cookies(app.origin)).find((each) => each.name === name)

  it('redirects to the sign-in page when there is no session', async () => {
    await page.goto(`${app.origin}/`)
    await page.waitForURL(`${app.origin}/login`)
    expect(await cookieNamed('login')).toBeUndefined()
  })

  it('signs in through an action, and the loader reads the session', async () => {
    await page.getByTestId('user').fill('alice')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${app.origin}/`)
    await expect.poll(() => page.getByTestId('user').textContent()).toBe('alice')
    const login = await cookieNamed('login')
    expect(login?.httpOnly).toBe(true)
    expect(login?.sameSite).toBe('Lax')
    // Sealed: the name is nowhere in the token.
    expect(login?.value).not.toContain('alice')
  })

  it('adds to the cart in an action, and the page verifies the Ed25519 cookie itself', async () => {
    await page.getByRole('button', { name: 'Add pear' }).click()
    await expect
      .poll(() => page.getByTestId('cart').textContent())
      .toBe('1 item(s), verified in this page: pear')
    await page.getByRole('button', { name: 'Add plum' }).click()
    await expect
      .poll(() => page.getByTestId('cart').textContent())
      .toBe('2 item(s), verified in this page: pear, plum')
    const cart = await cookieNamed('cart')
    expect(cart?.httpOnly).toBe(false)
    expect(cart?.value).toMatch(/^v1\.e\./)
  })

  it('shows a tampered cart as empty: the page refuses a signature that does not hold', async () => {
    const cart = (await cookieNamed('cart'))!
    await context.addCookies([{ ...cart, value: tamper(cart.value) }])
    await page.reload()
    await expect.poll(() => page.getByTestId('cart').textContent()).toBe('empty')
  })

  it('signs out when the login cookie is tampered with', async () => {
    const login = (await cookieNamed('login'))!
    await context.addCookies([{ ...login, value: tamper(login.value) }])
    await page.goto(`${app.origin}/`)
    await page.waitForURL(`${app.origin}/login`)
    // The server cleared the bad cookie on the way.
    expect(await cookieNamed('login')).toBeUndefined()
  })

  it('signs in again and out through the sign-out action', async () => {
    await page.getByTestId('user').fill('bob')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByTestId('user').textContent()).toBe('bob')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${app.origin}/login`)
    expect(await cookieNamed('login')).toBeUndefined()
  })
})
