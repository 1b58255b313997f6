import { defineSession, isSessionError } from '@tessera/core'
import { encodeBase64url } from '@tessera/core/internal'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createSessionClient, readSession } from '../../src'
import { clearCookies, setCookie } from './fixtures'

/*
 * A browser-owned session's cookie is written by whoever holds the browser (or a script on a sibling
 * subdomain): the client decodes it as untrusted, as the server does. Shared references would unfold a
 * 2 KB cookie into 2^40 leaves for whatever renders it, or make a cycle.
 */

/** Browser-owned, with the default codec (superjson's format). */
const Notes = defineSession<unknown>()('notes', { visibility: 'client', protection: 'none' })

const now = () => Math.floor(Date.now() / 1000)
const noneToken = (payload: string) =>
  `v1.n.${now() - 10}.0.${encodeBase64url(new TextEncoder().encode(payload))}`

/** 41 pairs, both slots of pair i + 1 pointing at pair i: pair 40 reaches 2^40 leaves. */
function aliasingBomb(): string {
  const json = [[0, 0], ...Array.from({ length: 40 }, () => [null, null])]
  const equalities = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [i, [`${i + 1}.0`, `${i + 1}.1`]]),
  )
  return JSON.stringify({ json, meta: { referentialEqualities: equalities, v: 1 } })
}
const cycle = '{"json":{"a":{"b":null}},"meta":{"referentialEqualities":{"a":["a.b"]},"v":1}}'

afterEach(() => {
  clearCookies()
  vi.restoreAllMocks()
})

describe('browser-owned payloads are decoded as untrusted', () => {
  for (const [label, payload] of [
    ['the 2^40-leaf payload', aliasingBomb()],
    ['a cycle', cycle],
  ] as const) {
    it(`${label}: readSession and the client read it as absent (DECODE_FAILED)`, async () => {
      setCookie(`notes=${noneToken(payload)}; Path=/`)
      const onInvalid = vi.fn()
      // Not toBeNull(): on failure, printing a 2^40-leaf value would hang the report.
      expect((await readSession(Notes, { onInvalid })) === null).toBe(true)
      const client = createSessionClient({ sessions: [Notes], onInvalid })
      expect((await client.get(Notes)) === null).toBe(true)
      expect(onInvalid.mock.calls).toEqual([
        [{ session: 'notes', reason: 'DECODE_FAILED' }],
        [{ session: 'notes', reason: 'DECODE_FAILED' }],
      ])
    })
  }

  it('set refuses a value whose payload reading would refuse: ENCODE_FAILED, no cookie written', async () => {
    const client = createSessionClient({ sessions: [Notes] })
    const shared = { text: 'hi' }
    const error = await client
      .set(Notes, { first: shared, again: shared, at: new Date(0) })
      .catch((caught: unknown) => caught)
    expect(isSessionError(error, 'ENCODE_FAILED')).toBe(true)
    expect(document.cookie).not.toContain('notes=')
    // A rich value without shared parts is written and read back.
    const value = { at: new Date(0), tags: new Set(['a']) }
    await client.set(Notes, value)
    expect(
      await readSession(defineSession<unknown>()('notes', { visibility: 'client', protection: 'none' })),
    ).toEqual(value)
  })
})
