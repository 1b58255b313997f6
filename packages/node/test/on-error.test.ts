import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { SessionErrorEvent } from '../src'
import { cookie, createSessions, defineSession } from '../src'
import { respondToSessionError, sessionsOf, withSessions } from '../src/fetch'

/* A set whose value fails its schema answers 500: the engine's onError says why, and nothing secret. */

const SECRET = 'a test secret of at least thirty-two bytes'
const Cart = defineSession('cart', { schema: z.object({ items: z.array(z.string()) }) })

describe('onError through an adapter', () => {
  it('hears the failed set of a request that answers 500, without the value or the secret', async () => {
    const events: SessionErrorEvent[] = []
    const sessions = createSessions({
      secret: SECRET,
      sessions: [cookie(Cart)],
      onError: (event) => void events.push(event),
    })
    const handler = withSessions(sessions, async (request: Request) => {
      await sessionsOf(request).set(Cart, { items: [42 as unknown as string] })
      return new Response('never')
    })
    const response = await handler(new Request('http://127.0.0.1/cart')).catch(
      (error: unknown) => respondToSessionError(error)!,
    )
    expect(response.status).toBe(500)
    expect(events).toEqual([
      {
        code: 'INVALID_VALUE',
        session: 'cart',
        operation: 'set',
        message: 'session "cart": the value fails the schema (1 issue)',
      },
    ])
    expect(JSON.stringify(events)).not.toContain(SECRET)
    expect(JSON.stringify(events)).not.toContain('42')
  })
})
