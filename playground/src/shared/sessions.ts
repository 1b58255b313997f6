// The playground's sessions, defined once and imported by the page (Vite) and by the server (Node):
// one file, one wire format, the same types on both sides.
import { defineSession } from '@tessera/core'
import { z } from 'zod'

/**
 * How long each session lasts. Absolute, not idle: an idle session is renewed whenever a request
 * reads it past half its lifetime, which is what rolling expiry is for, but it would also renew the
 * playground's "expire in 10 s" tokens the moment the page asked about them.
 */
const WEEK = { idle: null, absolute: '7d' } as const
const YEAR = { idle: null, absolute: '52w' } as const

/** Seconds a token lasts when a panel's "expire" button asks for a short-lived one. */
export const SHORT_LIFETIME_SECONDS = 10
const SHORT = { idle: null, absolute: SHORT_LIFETIME_SECONDS } as const

// ---------------------------------------------------------------------------------------------
// Cart: a stateless cookie the server signs (Ed25519) and the browser reads and verifies.

/** One line of the cart; prices come from the server's catalog, so the browser cannot change them. */
export const cartLineSchema = z.object({
  name: z.string().min(1).max(40),
  unitPrice: z.number().int().nonnegative(),
  qty: z.number().int().min(1).max(99),
})

/** A Map of lines by SKU and a Date: values JSON cannot carry, which the default codec (superjson) can. */
export const cartSchema = z.object({
  lines: z.map(z.string().regex(/^[A-Z0-9-]{1,16}$/), cartLineSchema).max(12),
  updatedAt: z.date(),
})

/** The cart's value. */
export type CartValue = z.infer<typeof cartSchema>

const cartOptions = { schema: cartSchema, visibility: 'client', expiry: WEEK } as const

/**
 * The shopping cart: the whole value travels in a cookie the page can read (not HttpOnly), signed by
 * the server with Ed25519 so the page verifies it with a public key and nobody else can forge it.
 *
 * @example const cart = await client.get(Cart) // verified in the browser, or null
 */
export const Cart = defineSession('cart', cartOptions)

// ---------------------------------------------------------------------------------------------
// Login: held by the server, an id travels in a header.

/** What the server keeps for a signed-in user. */
export interface LoginValue {
  readonly userId: string
  readonly name: string
  readonly roles: readonly string[]
  readonly signedInAt: Date
}

const loginOptions = { transport: 'header', storage: 'server', expiry: WEEK } as const

/**
 * The login: stored server-side (in memory, Redis or PostgreSQL); only a signed id travels, in a
 * `login` request/response header the browser client's `fetch` carries.
 *
 * @example await client.fetch('/api/login') // the header attached, a new token captured
 */
export const Login = defineSession<LoginValue>()('login', loginOptions)

// ---------------------------------------------------------------------------------------------
// Prefs: written by the browser, unsigned, checked by the schema on both sides.

/** Preferences the page writes; the schema is the only gate, so it is strict. */
export const prefsSchema = z.object({
  theme: z.enum(['light', 'dark']),
  accent: z.enum(['teal', 'amber', 'violet']),
  fontSize: z.number().int().min(12).max(22),
})

/** The preferences' value. */
export type PrefsValue = z.infer<typeof prefsSchema>

const prefsOptions = { schema: prefsSchema, visibility: 'client', protection: 'none', expiry: YEAR } as const

/**
 * Preferences the browser owns: a `none` token (no signature) the page writes itself and the server
 * reads as untrusted input, through the schema.
 *
 * @example await client.set(Prefs, { theme: 'dark', accent: 'teal', fontSize: 16 })
 */
export const Prefs = defineSession('prefs', prefsOptions)

// ---------------------------------------------------------------------------------------------
// Vault: sealed, HttpOnly, unreadable in the page.

/** A note only the server can read. */
export const vaultSchema = z.object({
  note: z.string().min(1).max(200),
  savedAt: z.date(),
})

/** The vault's value. */
export type VaultValue = z.infer<typeof vaultSchema>

const vaultOptions = { schema: vaultSchema, expiry: WEEK } as const

/**
 * A sealed cookie (XSalsa20-Poly1305, the default for a server-only client-stored session): HttpOnly,
 * so scripts never see it, and encrypted, so even its holder cannot read it.
 *
 * @example await sessions.set(Vault, { note: 'the safe code is 1234', savedAt: new Date() })
 */
export const Vault = defineSession('vault', vaultOptions)

// ---------------------------------------------------------------------------------------------

/**
 * The same sessions with a 10-second lifetime, for the panels' "expire" buttons. Same names, so the
 * same derived keys: a token they write is an ordinary token of its session that expires soon.
 *
 * @example createSessionEngine({ secret, sessions: [cookie(ShortLived.Cart)] })
 */
export const ShortLived = {
  Cart: defineSession('cart', { ...cartOptions, expiry: SHORT }),
  Login: defineSession<LoginValue>()('login', { ...loginOptions, expiry: SHORT }),
  Prefs: defineSession('prefs', { ...prefsOptions, expiry: SHORT }),
  Vault: defineSession('vault', { ...vaultOptions, expiry: SHORT }),
} as const
