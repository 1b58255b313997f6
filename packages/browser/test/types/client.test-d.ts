import { cookie, defineSession, header } from '@tessera/core'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { SessionClient } from '../../src'
import { createSessionClient } from '../../src'
import { useSession } from '../../src/react'

const Cart = defineSession('cart', {
  schema: z.object({ items: z.array(z.string()) }),
  visibility: 'client',
  publicKeys: { '0': 'A'.repeat(43) },
})
const Prefs = defineSession<{ theme: 'dark' | 'light' }>()('prefs', {
  visibility: 'client',
  protection: 'none',
})
const Draft = defineSession<{ text: string }>()('draft', {
  visibility: 'client',
  protection: 'none',
  transport: 'header',
})
const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
const Secret = defineSession<{ pin: string }>()('secret', {})
const SignedOnly = defineSession<{ n: number }>()('signed', { protection: 'signed' })
const Stored = defineSession<{ n: number }>()('stored', { storage: 'server' })
const Unregistered = defineSession<{ n: number }>()('elsewhere', { visibility: 'client', protection: 'none' })

const client = createSessionClient({
  sessions: [
    Cart,
    { descriptor: Prefs, options: { maxAge: '52w' } },
    Draft,
    header(Login),
    cookie(Secret),
    SignedOnly,
    Stored,
  ],
})

describe('get and peek', () => {
  it('return the typed value or null for client-visible sessions', () => {
    expectTypeOf(client.get(Cart)).resolves.toEqualTypeOf<{ items: string[] } | null>()
    expectTypeOf(client.get(Prefs)).resolves.toEqualTypeOf<{ theme: 'dark' | 'light' } | null>()
    expectTypeOf(client.peek(Draft)).toEqualTypeOf<{ text: string } | null>()
  })

  it('refuse server-only, sealed, signed and server-stored sessions', () => {
    // @ts-expect-error sealed and server-only
    client.get(Secret)
    // @ts-expect-error HMAC-signed: only the server can verify it
    client.get(SignedOnly)
    // @ts-expect-error server-stored: only an id travels
    client.get(Stored)
    // @ts-expect-error a header session the browser cannot read
    client.peek(Login)
  })

  it('refuse a session the client was not given', () => {
    // @ts-expect-error not registered with this client
    client.get(Unregistered)
  })
})

describe('set and clear', () => {
  it('set takes exactly the value type of a browser-owned session', () => {
    expectTypeOf(client.set(Prefs, { theme: 'dark' })).resolves.toBeVoid()
    // @ts-expect-error not one of the themes
    client.set(Prefs, { theme: 'blue' })
    // @ts-expect-error a missing field
    client.set(Draft, {})
  })

  it('set refuses sessions the server writes', () => {
    // @ts-expect-error the server signs Cart
    client.set(Cart, { items: [] })
    // @ts-expect-error the server writes Login
    client.set(Login, { userId: 'u' })
  })

  it('clear takes browser-owned and header sessions only', () => {
    client.clear(Prefs)
    client.clear(Login)
    // @ts-expect-error the server writes this cookie
    client.clear(Cart)
    // @ts-expect-error the server writes this cookie
    client.clear(Secret)
  })
})

describe('subscribe and has', () => {
  it('gives a readable session its value and an opaque header session its presence', () => {
    client.subscribe(Cart, (cart) => expectTypeOf(cart).toEqualTypeOf<{ items: string[] } | null>())
    client.subscribe(Login, (present) => expectTypeOf(present).toEqualTypeOf<boolean>())
    // @ts-expect-error an HttpOnly cookie never changes in the page's eyes
    client.subscribe(Secret, () => undefined)
    expectTypeOf(client.has(Login)).toEqualTypeOf<boolean>()
    // @ts-expect-error has is for header sessions
    client.has(Prefs)
  })
})

describe('misuse errors', () => {
  it('say what is wrong with the session at hand, not how it differs from every registered one', () => {
    // What the argument is checked against when the session cannot be used so: one short sentence.
    expectTypeOf(client.set<typeof Cart>)
      .parameter(0)
      .toEqualTypeOf<"set: this session is written by the server; the browser sets only protection: 'none' sessions">()
    expectTypeOf(client.get<typeof Stored>)
      .parameter(0)
      .toEqualTypeOf<'get: this session is not readable in the browser (server-visible, sealed or server-stored); read it on the server'>()
    expectTypeOf(client.get<typeof Login>)
      .parameter(0)
      .toEqualTypeOf<'get: this session is not readable in the browser (server-visible, sealed or server-stored); read it on the server'>()
    expectTypeOf(client.has<typeof Prefs>)
      .parameter(0)
      .toEqualTypeOf<'has: only header sessions are held as a token; read a cookie session with get'>()
    // A session that may be used so is taken as itself.
    expectTypeOf(client.set<typeof Prefs>)
      .parameter(0)
      .toEqualTypeOf<typeof Prefs>()
    expectTypeOf(client.get<typeof Cart>)
      .parameter(0)
      .toEqualTypeOf<typeof Cart>()
  })
})

describe('fetch', () => {
  it('wrapFetch keeps the type of what it wraps', () => {
    const custom = async (input: RequestInfo | URL, init?: RequestInit & { retry?: number }) =>
      fetch(input, init)
    expectTypeOf(client.wrapFetch(custom)).toEqualTypeOf(custom)
    expectTypeOf(client.fetch('/api')).resolves.toEqualTypeOf<Response>()
  })
})

describe('a loosely typed client', () => {
  it('still refuses non-readable descriptors', () => {
    const loose = {} as SessionClient
    expectTypeOf(loose.get(Prefs)).resolves.toEqualTypeOf<{ theme: 'dark' | 'light' } | null>()
    // @ts-expect-error sealed and server-only
    loose.get(Secret)
  })
})

describe('useSession', () => {
  it('returns the value type or null, and refuses non-readable sessions', () => {
    expectTypeOf(useSession(Cart)).toEqualTypeOf<{ items: string[] } | null>()
    // @ts-expect-error sealed and server-only
    useSession(Secret)
  })

  it('returns whether a header session the browser cannot read is held', () => {
    expectTypeOf(useSession(Login)).toEqualTypeOf<boolean>()
    // A readable header session still gives its value.
    expectTypeOf(useSession(Draft)).toEqualTypeOf<{ text: string } | null>()
  })
})
