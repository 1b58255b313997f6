/**
 * The one workload every row shares: a small cart (three items and a counter) that each request
 * reads, changes (the counter goes up by one) and writes back, answering with a small JSON body.
 */

/** One line of the cart. */
export interface CartItem {
  readonly sku: string
  readonly qty: number
  readonly price: number
}

/** The JSON-plain cart: what every peer and the plain tessera rows carry. */
export interface Cart {
  readonly items: readonly CartItem[]
  readonly count: number
}

/** The richer cart of the Date+Map row: the default codec must take superjson's path for it. */
export interface RichCart {
  readonly items: ReadonlyMap<string, { readonly qty: number; readonly price: number }>
  readonly count: number
  readonly updatedAt: Date
}

/** A fresh JSON-plain cart. */
export function newCart(): Cart {
  return {
    items: [
      { sku: 'tea-0001', qty: 1, price: 450 },
      { sku: 'cup-0014', qty: 2, price: 1200 },
      { sku: 'pot-0003', qty: 1, price: 3900 },
    ],
    count: 0,
  }
}

/** A fresh cart holding a Map and a Date. */
export function newRichCart(): RichCart {
  return {
    items: new Map([
      ['tea-0001', { qty: 1, price: 450 }],
      ['cup-0014', { qty: 2, price: 1200 }],
      ['pot-0003', { qty: 1, price: 3900 }],
    ]),
    count: 0,
    updatedAt: new Date(1_700_000_000_000),
  }
}

/** The change each request makes: one more visit. */
export function bump<T extends { readonly count: number }>(cart: T | null | undefined, fresh: () => T): T {
  const current = cart ?? fresh()
  return { ...current, count: current.count + 1 }
}

/** The change of the Date+Map row: one more visit and a new time stamp. */
export function bumpRich(cart: RichCart | null | undefined): RichCart {
  const current = cart ?? newRichCart()
  return { ...current, count: current.count + 1, updatedAt: new Date() }
}

/** The small JSON body every session row answers with. */
export function body(count: number): string {
  return `{"count":${count}}`
}

/** The path of the read-modify-write workload. */
export const RMW_PATH = '/rmw'
/** The path that only reads the session (rows that support it). */
export const READ_PATH = '/read'
/** A 32-byte-plus secret for every row; the bench is not a place for real secrets. */
export const BENCH_SECRET = 'tessera-bench-secret-0123456789abcdef'
