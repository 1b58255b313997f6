// Debian's Chromium, as the browser tests and the bundle-size script launch it through playwright-core
// (never a downloaded browser): where it is, and the flags it runs with on a CI machine.
import { existsSync } from 'node:fs'
import { inCI } from './ci.mjs'

/** The browser's executable: CHROMIUM_PATH, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Options for playwright-core's `chromium.launch`: headless, sandbox off, no network of its own. */
export function chromiumLaunchOptions() {
  return {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  }
}

/**
 * True when Chromium is here. Without it, `what` is skipped with a warning, except in CI ({@link inCI}),
 * where a missing browser is an error: a skipped suite must never pass for a run one.
 */
export function chromiumPresent(what) {
  if (existsSync(CHROMIUM)) return true
  if (inCI()) throw new Error(`Chromium is required in CI and missing at ${CHROMIUM}`)
  console.warn(`[e2e] no Chromium at ${CHROMIUM}: ${what} skipped (CI runs them)`)
  return false
}
