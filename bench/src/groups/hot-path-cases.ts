/**
 * The hot-path tricks of tessera, each measured against the plain way it replaces (issue #14 item 6:
 * a trick stays only where the bench shows that it matters). Each pair is two codec rows; the row
 * with the trick gets a `without` ratio (its ops/s ÷ the plain row's) and a note with the time it
 * saves per call. Run them alone with `pnpm bench --only 'codec/hot path'`.
 */
import { randomFillSync } from 'node:crypto'
import type { RequestSessions, SessionCrypto, SessionDescriptor } from '@tessera/core'
import { cookie, createSessionEngine, defineSession } from '@tessera/core'
import { fakeRequest } from '../lib/tessera'
import type { Cart } from '../workload'
import { BENCH_SECRET, bump, newCart } from '../workload'
import type { Case } from './codec-cases'

/** The name prefix of every hot-path row. */
export const HOT_PATH = 'hot path:'

/** A trick and the plain way, as two cases; the trick's row divides by the plain one. */
function pair(trick: string, plain: string, withTrick: () => unknown, without: () => unknown): Case[] {
  const plainName = `${HOT_PATH} ${plain}`
  return [
    { name: `${HOT_PATH} ${trick}`, run: withTrick, refs: { without: plainName } },
    { name: plainName, run: without },
  ]
}

/** One signed read-modify-write through an engine built with `options`, as the engine rows do it. */
async function engineRequest(
  crypto: SessionCrypto,
  tokenCache: number | undefined,
): Promise<() => Promise<void>> {
  const Signed: SessionDescriptor<Cart, any> = defineSession<Cart>()('cart', { protection: 'signed' })
  const engine = createSessionEngine({
    secret: BENCH_SECRET,
    // The token cache is a registration's option (cookie(D, { tokenCache })), not the engine's.
    sessions: [cookie(Signed, tokenCache === undefined ? {} : { tokenCache })],
    crypto,
  })
  const first = fakeRequest(undefined)
  const opened = engine.open(first.io)
  await opened.set(Signed, newCart())
  opened.commit()
  const header = first.setCookies[0]!.split(';', 1)[0]!
  return async () => {
    const sessions: RequestSessions = engine.open(fakeRequest(header).io)
    const value = await sessions.get(Signed)
    if (value === null) throw new Error('the engine lost the session')
    await sessions.set(Signed, bump(value, newCart))
    sessions.commit()
  }
}

/** The Expires cache of core's cookie serializer, as core has it: the last second's text kept. */
let expiresCache = { seconds: -1, text: '' }
function cachedExpires(unixSeconds: number): string {
  if (expiresCache.seconds !== unixSeconds) {
    expiresCache = { seconds: unixSeconds, text: new Date(unixSeconds * 1000).toUTCString() }
  }
  return expiresCache.text
}

/** The hot-path pairs: token cache, random byte pool, Expires cache, native base64url. */
export async function hotPathCases(nodeCrypto: SessionCrypto): Promise<Case[]> {
  const cases: Case[] = [
    ...pair(
      'engine signed read-modify-write, token cache on (default)',
      'engine signed read-modify-write, tokenCache: 0',
      await engineRequest(nodeCrypto, undefined),
      await engineRequest(nodeCrypto, 0),
    ),
    ...pair(
      'random 24 bytes from the pool (nodeCrypto.randomBytes)',
      'random 24 bytes, randomFillSync per draw',
      () => nodeCrypto.randomBytes(24),
      () => randomFillSync(new Uint8Array(24)),
    ),
    ...pair(
      'Expires text, cached per second',
      'Expires text, new Date().toUTCString() per cookie',
      () => cachedExpires(1_700_000_000),
      () => new Date(1_700_000_000 * 1000).toUTCString(),
    ),
  ]
  if (nodeCrypto.base64url) {
    cases.push(
      ...pair(
        "engine signed read-modify-write, node's Buffer base64url",
        "engine signed read-modify-write, core's portable base64url",
        await engineRequest(nodeCrypto, 0),
        await engineRequest({ ...nodeCrypto, base64url: undefined }, 0),
      ),
    )
  }
  return cases
}
