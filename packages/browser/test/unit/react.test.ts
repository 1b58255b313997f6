import { isSessionError } from '@tessera/core'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { act, createElement, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSessionClient } from '../../src'
import { SessionClientProvider, useSession } from '../../src/react'
import { Cart, clearCookies, Login, ORIGIN, Prefs, publicKeys, setCookie, signed } from './fixtures'

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean
}

let keys: Record<string, Record<string, string>>
let root: Root | undefined
let container: HTMLElement

beforeAll(async () => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true
  keys = await publicKeys('cart')
})
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  clearCookies()
})

function Theme({ client }: { client?: ReturnType<typeof createSessionClient> }) {
  const prefs = useSession(Prefs, client)
  return createElement('output', null, prefs ? prefs.theme : 'none')
}
function ItemCount() {
  const cart = useSession(Cart)
  return createElement('output', null, cart ? String(cart.items.length) : 'empty')
}

function SignedIn() {
  const signedIn = useSession(Login)
  return createElement('output', null, signedIn ? 'signed in' : 'signed out')
}

async function render(node: ReactNode): Promise<void> {
  container = document.createElement('div')
  root = createRoot(container)
  await act(async () => root!.render(node))
}

describe('useSession', () => {
  it('renders the verified value of a cookie session, read on mount', async () => {
    setCookie(
      `cart=${await signed('cart', {
        items: [
          { sku: 'A', qty: 1 },
          { sku: 'B', qty: 2 },
        ],
      })}; Path=/`,
    )
    const client = createSessionClient({ sessions: [Cart], publicKeys: keys })
    await render(createElement(SessionClientProvider, { client }, createElement(ItemCount)))
    // The hook's own read shares this one (same cookie string): waiting for it lets the render land.
    await act(() => client.get(Cart))
    expect(container.textContent).toBe('2')
  })

  it('re-renders when the session changes, and takes the client as an argument', async () => {
    const client = createSessionClient({ sessions: [Prefs] })
    await render(createElement(Theme, { client }))
    await act(() => client.get(Prefs))
    expect(container.textContent).toBe('none')
    await act(() => client.set(Prefs, { theme: 'dark' }))
    expect(container.textContent).toBe('dark')
    await act(() => client.clear(Prefs))
    expect(container.textContent).toBe('none')
  })

  it('renders null on the server (SSR-safe), whatever the browser holds', async () => {
    const client = createSessionClient({ sessions: [Prefs] })
    await client.set(Prefs, { theme: 'light' })
    expect(client.peek(Prefs)).toEqual({ theme: 'light' })
    expect(renderToString(createElement(Theme, { client }))).toBe('<output>none</output>')
  })

  it('says clearly when there is no client', () => {
    let thrown: unknown
    try {
      renderToString(createElement(ItemCount))
    } catch (error) {
      thrown = error
    }
    expect(isSessionError(thrown, 'INVALID_OPERATION')).toBe(true)
    expect((thrown as Error).message).toContain('SessionClientProvider')
  })
})

describe('useSession with a header session the browser cannot read', () => {
  const TOKEN = 'v1.s.0.1800000000.1800003600.aWQtb25l.dGFnLW9uZQ'
  let answer: Record<string, string> = {}
  const server = setupServer(http.all(`${ORIGIN}/*`, () => HttpResponse.json({}, { headers: answer })))
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    answer = {}
    sessionStorage.clear()
  })
  afterAll(() => server.close())

  it('tells whether its token is held, and re-renders on sign-in and sign-out', async () => {
    const client = createSessionClient({ sessions: [Login], origins: [ORIGIN] })
    await render(createElement(SessionClientProvider, { client }, createElement(SignedIn)))
    expect(container.textContent).toBe('signed out')
    answer = { login: TOKEN }
    await act(() => client.fetch(`${ORIGIN}/api/login`))
    expect(container.textContent).toBe('signed in')
    answer = { login: 'cleared' }
    await act(() => client.fetch(`${ORIGIN}/api/logout`))
    expect(container.textContent).toBe('signed out')
    answer = { login: TOKEN }
    await act(() => client.fetch(`${ORIGIN}/api/login`))
    await act(() => client.clear(Login))
    expect(container.textContent).toBe('signed out')
    client.close()
  })

  it('knows a token kept from an earlier visit on the first render, and renders false on the server', async () => {
    sessionStorage.setItem('tessera:login', TOKEN)
    const client = createSessionClient({ sessions: [Login] })
    expect(client.has(Login)).toBe(true)
    await render(createElement(SessionClientProvider, { client }, createElement(SignedIn)))
    expect(container.textContent).toBe('signed in')
    const html = renderToString(createElement(SessionClientProvider, { client }, createElement(SignedIn)))
    expect(html).toContain('signed out')
    client.close()
  })
})
