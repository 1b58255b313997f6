// Debian's Chromium through playwright-core (never a downloaded browser), as the repo's other browser
// suites launch it.
import type { Browser, BrowserContext } from 'playwright-core'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions, chromiumPresent } from '../../../scripts/chromium.mjs'

/** True when the browser is here; in CI a missing one fails the suite instead. */
export const hasChromium = chromiumPresent('the example app tests are')

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), timeout: 30_000 })
}

/** A fresh profile with bounded waits. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext()
  context.setDefaultTimeout(10_000)
  context.setDefaultNavigationTimeout(15_000)
  return context
}

/** The token with one character of its last part changed: its signature no longer holds. */
export function tamper(token: string): string {
  const at = token.length - 3
  const swapped = token[at] === 'A' ? 'B' : 'A'
  return token.slice(0, at) + swapped + token.slice(at + 1)
}
