import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { expect } from 'vitest'
import { chromiumLaunchOptions, chromiumPresent } from '../../../scripts/chromium.mjs'

/** True when the browser is here; CI must have it (the suites fail there without it). */
export const hasChromium = chromiumPresent('the browser tests are')

/** Screenshots go here: a test artifact, git-ignored. */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url))

/** Actions and waits in a page give up after this long. */
export const ACTION_TIMEOUT_MS = 10_000

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), timeout: 30_000 })
}

/** A fresh browser profile (its own cookies and storage) with bounded timeouts. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } })
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS)
  return context
}

/** Opens the playground and waits until its four panels are on screen. */
export async function openPlayground(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(url)
  try {
    await page.getByTestId('vault-panel').waitFor()
  } catch (error) {
    throw new Error(`the playground did not render (${errors.join('; ') || 'no page error'})`, {
      cause: error,
    })
  }
  return page
}

/** Saves a full-page screenshot under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}

/** A button of one panel, by (part of) its label. */
export function button(page: Page, panel: string, name: string | RegExp): Locator {
  return page.getByTestId(`${panel}-panel`).getByRole('button', { name })
}

/** Waits, within a bound, until the element's text contains `text`. */
export async function expectText(locator: Locator, text: string | RegExp, timeout = ACTION_TIMEOUT_MS) {
  await expect
    .poll(async () => (await locator.textContent({ timeout })) ?? '', { timeout, interval: 100 })
    .toMatch(typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text)
}

/** The page's cookie named `name` as document.cookie shows it (undefined when it cannot see one). */
export function documentCookie(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate((cookieName) => {
    const pair = document.cookie.split('; ').find((each) => each.startsWith(`${cookieName}=`))
    return pair?.slice(cookieName.length + 1)
  }, name)
}
