import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { PlaygroundServer } from '../../server/playground-server'
import { startPlaygroundServer } from '../../server/playground-server'
import {
  ACTION_TIMEOUT_MS,
  button,
  expectText,
  hasChromium,
  launchChromium,
  openPlayground,
  screenshot,
} from '../helpers/chromium'

let server: PlaygroundServer
let browser: Browser

/** A browser profile of its own, announcing itself as `userAgent` (the label a sign-in records). */
async function device(userAgent: string) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, userAgent })
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  return { context, page: await openPlayground(context, `${server.url}/`) }
}

describe.skipIf(!hasChromium)('the Devices panel in Chromium: two browsers, one user', () => {
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

  it('lists the sessions of both browsers, marks this one, and signs the other out', async () => {
    const laptop = await device(
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
    )
    const phone = await device(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
    )
    try {
      await button(laptop.page, 'login', /Sign in as Ada/).click()
      await expectText(laptop.page.getByTestId('login-status'), 'Signed in')
      await button(phone.page, 'login', /Sign in as Ada/).click()
      await expectText(phone.page.getByTestId('login-status'), 'Signed in')

      await button(laptop.page, 'devices', 'List my devices').click()
      await expectText(laptop.page.getByTestId('devices-status'), '2 session(s) of this user')
      const rows = laptop.page.getByTestId('device-row')
      expect(await rows.count()).toBe(2)
      const listed = await laptop.page.getByTestId('devices-list').textContent()
      expect(listed).toContain('Chrome on Linux (this device)')
      expect(listed).toContain('Firefox on Windows')
      await screenshot(laptop.page, 'server-devices-listed')

      // Sign out the other browser: the row that is not this device.
      await laptop.page
        .locator('[data-testid="device-row"][data-current="false"]')
        .getByTestId('device-end')
        .click()
      await expectText(laptop.page.getByTestId('devices-status'), 'Signed out Firefox on Windows')
      expect(await rows.count()).toBe(1)
      await expectText(laptop.page.getByTestId('devices-list'), 'Chrome on Linux (this device)')

      await button(phone.page, 'login', 'Ask the server').click()
      await expectText(phone.page.getByTestId('login-server-check'), 'refused it: NOT_FOUND')
      await expectText(phone.page.getByTestId('login-status'), 'Not signed in')
      await button(laptop.page, 'login', 'Ask the server').click()
      await expectText(laptop.page.getByTestId('login-status'), 'Signed in')
      await screenshot(laptop.page, 'server-devices-signed-out')
    } finally {
      await laptop.context.close()
      await phone.context.close()
    }
  })

  it('refuses to list without a signed-in user', async () => {
    const lone = await device('Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0')
    try {
      await button(lone.page, 'devices', 'List my devices').click()
      await expectText(lone.page.getByTestId('devices-status'), 'not signed in')
      expect(await lone.page.getByTestId('device-row').count()).toBe(0)
    } finally {
      await lone.context.close()
    }
  })
})
