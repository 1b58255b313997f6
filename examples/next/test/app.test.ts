// The production build (`next build`, middleware on the edge runtime) served by `next start` and
// driven in Chromium: sign in through a Server Action, the session read by Server Components, the
// Ed25519 cart read by the page itself, a tampered cookie signing the user out, and the middleware's
// redirect when there is no session.
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppServer, startApp } from './app-server'
import { hasChromium, launchChromium, newContext, tamper } from './browser'

const appDir = fileURLToPath(new URL('..', import.meta.url))

describe.runIf(hasChromium)('the Next.js example, built for production, in Chromium', () => {
  let app: AppServer
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    const next = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url))
    app = await startApp(process.execPath, [next, 'start'], { cwd: appDir, readyPath: '/login' })
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

  it('middleware redirects to the sign-in page when there is no session', async () => {
    const response = await fetch(`${app.origin}/account`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(new URL(response.headers.get('location')!, app.origin).pathname).toBe('/login')
    await page.goto(`${app.origin}/account`)
    await page.waitForURL(`${app.origin}/login`)
    await page.goto(`${app.origin}/`)
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Signed out')
  })

  it('signs in through a Server Action, and Server Components read the session', async () => {
    await page.goto(`${app.origin}/login`)
    await page.getByTestId('user').fill('alice')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${app.origin}/account`)
    await expect.poll(() => page.getByTestId('user').textContent()).toBe('alice')
    const login = await cookieNamed('login')
    expect(login?.httpOnly).toBe(true)
    expect(login?.sameSite).toBe('Lax')
    expect(login?.value).not.toContain('alice') // sealed
    await page.goto(`${app.origin}/`)
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('Signed in as alice')
  })

  it('adds to the cart in a Server Action, and the page verifies the Ed25519 cookie itself', async () => {
    await page.goto(`${app.origin}/account`)
    await expect.poll(() => page.getByTestId('cart').textContent()).toBe('empty')
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

  it('a Route Handler reads the same sessions, and writes on its response', async () => {
    const cookies = (await context.cookies(app.origin)).map((each) => `${each.name}=${each.value}`).join('; ')
    const read = await fetch(`${app.origin}/api/cart`, { headers: { cookie: cookies } })
    expect(await read.json()).toEqual({ cart: { items: ['pear', 'plum'] } })
    const emptied = await fetch(`${app.origin}/api/cart`, { method: 'DELETE', headers: { cookie: cookies } })
    expect(await emptied.json()).toEqual({ cart: null })
    expect(emptied.headers.getSetCookie().join('\n')).toMatch(/^cart=; .*Max-Age=0/m)
    expect((await fetch(`${app.origin}/api/cart`)).status).toBe(401)
  })

  it('shows a tampered cart as empty: the page refuses a signature that does not hold', async () => {
    const cart = (await cookieNamed('cart'))!
    await context.addCookies([{ ...cart, value: tamper(cart.value) }])
    await page.reload()
    await expect.poll(() => page.getByTestId('cart').textContent()).toBe('empty')
  })

  it('signs out when the login cookie is tampered with: middleware redirects and clears it', async () => {
    const login = (await cookieNamed('login'))!
    const forged = tamper(login.value)
    const response = await fetch(`${app.origin}/account`, {
      redirect: 'manual',
      headers: { cookie: `login=${forged}` },
    })
    expect(response.status).toBe(302)
    expect(response.headers.getSetCookie().join('\n')).toMatch(/^login=; .*Max-Age=0/m)

    await context.addCookies([{ ...login, value: forged }])
    await page.goto(`${app.origin}/account`)
    await page.waitForURL(`${app.origin}/login`)
    expect(await cookieNamed('login')).toBeUndefined()
  })

  it('signs in again and out through the sign-out action', async () => {
    await page.getByTestId('user').fill('bob')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByTestId('user').textContent()).toBe('bob')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${app.origin}/login`)
    expect(await cookieNamed('login')).toBeUndefined()
    expect(await cookieNamed('cart')).toBeUndefined()
  })
})
