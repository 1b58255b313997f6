import { defineSession, jsonCodec, superjsonCodec, webCrypto } from '@tessera/core'
import type { Claims } from '@tessera/core/internal'
import { createKeyRing, createProtector } from '@tessera/core/internal'
import { vi } from 'vitest'
import { z } from 'zod'

export const SECRET = 'browser unit tests: a secret of 32 bytes or more'
export const ORIGIN = 'http://localhost:3000'
export const API = 'https://api.example.test'
export const THIRD_PARTY = 'https://tracker.example.org'

export const cartSchema = z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number().int() })) })

/** Written by the server, read and verified in the browser (public keys given to the client). */
export const Cart = defineSession('cart', { schema: cartSchema, visibility: 'client' })
/** Owned by the browser. */
export const Prefs = defineSession<{ theme: 'dark' | 'light' }>()('prefs', {
  visibility: 'client',
  protection: 'none',
  codec: jsonCodec,
})
/** Owned by the browser, kept in a header store and sent as a header. */
export const Draft = defineSession<{ text: string }>()('draft', {
  visibility: 'client',
  protection: 'none',
  transport: 'header',
})
/** A server-stored login carried in a header: opaque to the browser. */
export const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
/** A client-visible header session signed by the server. */
export const Badge = defineSession<{ level: number }>()('badge', {
  transport: 'header',
  visibility: 'client',
})
/** Server-only and sealed: never readable in the browser. */
export const Vault = defineSession<{ pin: string }>()('vault', {})

const ring = createKeyRing({ secret: SECRET })
const signers = new Map<string, ReturnType<typeof createProtector>>()

/** An Ed25519 protector for a session name, keyed by {@link SECRET}. */
export function signer(name: string) {
  let protector = signers.get(name)
  if (!protector) {
    protector = createProtector({ protection: 'ed25519', name, crypto: webCrypto, ring })
    signers.set(name, protector)
  }
  return protector
}

/** The public keys of the given sessions, as a server would print them. */
export async function publicKeys(...names: string[]): Promise<Record<string, Record<string, string>>> {
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await signer(name).publicKeys!()])),
  )
}

export const nowSeconds = () => Math.floor(Date.now() / 1000)
export const claims = (lifetime = 3600): Claims => ({ iat: nowSeconds() - 10, exp: nowSeconds() + lifetime })

/** A signed token of `value` for session `name` (default codec). */
export async function signed(name: string, value: unknown, at: Claims = claims()): Promise<string> {
  return signer(name).protect(await superjsonCodec.encode(value), at)
}

/** Sets a cookie as a response from the server would (tests play the server's part). */
export function setCookie(line: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: tests write cookies the way a server response would
  document.cookie = line
}

/** Removes every cookie the page can see. */
export function clearCookies(): void {
  for (const pair of document.cookie.split(';')) {
    const name = pair.split('=')[0]!.trim()
    if (name) setCookie(`${name}=; Max-Age=0; Path=/`)
  }
}

/** Records every line written to `document.cookie` (restored by `vi.restoreAllMocks()`). */
export function spyCookieWrites(): () => string[] {
  let owner: object | null = document
  while (owner && !Object.getOwnPropertyDescriptor(owner, 'cookie')) owner = Object.getPrototypeOf(owner)
  const spy = vi.spyOn(owner as Document, 'cookie', 'set')
  return () => spy.mock.calls.map(([line]) => String(line))
}
