import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent } from '../../src'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { encodeBase64url } from '../../src/internal'
import { countingStorage } from '../helpers/counting-storage'
import { fakeIO, isClearing } from '../helpers/fake-io'

const Open = defineSession<{ user: string }>()('open', { storage: 'server', protection: 'none' })
const noneToken = (payload: string) => `v1.n.1.0.${encodeBase64url(new TextEncoder().encode(payload))}`

describe('a server-stored session reads only session ids', () => {
  it('an unsigned (none) token whose payload is not a session id is MALFORMED, before any storage call', async () => {
    const counted = countingStorage()
    const events: InvalidSessionEvent[] = []
    const engine = createSessionEngine({
      sessions: [cookie(Open, { storage: counted.storage })],
      onInvalid: (event) => events.push(event),
    })
    for (const payload of ['../../etc/passwd', 'short', 'a'.repeat(129), 'with space in it', '']) {
      const io = fakeIO({ cookie: `open=${noneToken(payload)}` })
      const sessions = engine.open(io.io)
      expect(await sessions.get(Open)).toBeNull()
      sessions.commit()
      expect(io.setCookies().map(isClearing)).toEqual([true])
    }
    expect(events).toEqual(Array(5).fill({ session: 'open', reason: 'MALFORMED' }))
    expect(counted.calls).toEqual({ read: 0, write: 0, invalidate: 0, invalidateOwner: 0 })
  })

  it('an unsigned token whose payload is a session id is looked up (and absent: NOT_FOUND)', async () => {
    const counted = countingStorage()
    const events: InvalidSessionEvent[] = []
    const engine = createSessionEngine({
      sessions: [cookie(Open, { storage: counted.storage })],
      onInvalid: (event) => events.push(event),
    })
    const sessions = engine.open(fakeIO({ cookie: `open=${noneToken('guessedsessionid')}` }).io)
    expect(await sessions.get(Open)).toBeNull()
    expect(events).toEqual([{ session: 'open', reason: 'NOT_FOUND' }])
    expect(counted.calls.read).toBe(1)
  })
})
