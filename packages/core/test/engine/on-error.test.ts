import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import type { RequestSessions, SessionErrorEvent, SessionIO, SessionStorage } from '../../src'
import { cookie, createSessionEngine, defineSession, memoryStorage, SessionError } from '../../src'
import { countingStorage } from '../helpers/counting-storage'
import { FakeBrowser, fakeIO, SECRET } from '../helpers/fake-io'

/*
 * The engine's `onError` hook: told of every SessionError a session operation throws, with only what
 * is safe to log (code, session, operation, message), never the value, a token, an id or the secret.
 */

const VALUE_MARKER = 'value-marker-4b1d'
const Cart = defineSession('cart', {
  schema: z.object({ items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })) }),
})
const Login = defineSession<{ user: string }>()('login', { storage: 'server' })

function engineWith(extra: Partial<Parameters<typeof createSessionEngine>[0]> = {}) {
  const events: SessionErrorEvent[] = []
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Cart), cookie(Login)],
    onError: (event) => void events.push(event),
    ...extra,
  })
  return { engine, events }
}

/** Everything the hook was given, as the text a logger would write. */
const logged = (events: readonly SessionErrorEvent[]) => JSON.stringify(events)

describe('onError', () => {
  it('tells why a set failed its schema, without the value or the secret', async () => {
    const { engine, events } = engineWith()
    const sessions = engine.open(fakeIO().io)
    const bad = { items: [{ sku: VALUE_MARKER, quantity: -1 }] }
    await expect(sessions.set(Cart, bad)).rejects.toMatchObject({ code: 'INVALID_VALUE' })
    expect(events).toEqual([
      {
        code: 'INVALID_VALUE',
        session: 'cart',
        operation: 'set',
        message: 'session "cart": the value fails the schema (1 issue)',
      },
    ])
    expect(logged(events)).not.toContain(VALUE_MARKER)
    expect(logged(events)).not.toContain(SECRET)
  })

  it('gives a failing storage code and name only: never the id, the token or what the storage said', async () => {
    const storage = memoryStorage()
    const browser = new FakeBrowser(
      createSessionEngine({ secret: SECRET, sessions: [cookie(Login, { storage })] }),
    )
    await browser.request((s) => s.set(Login, { user: VALUE_MARKER }))
    const token = browser.cookies.get('login')!
    const broken: SessionStorage = {
      ...storage,
      read: async (id) => {
        throw new Error(`connection lost while reading ${id} with password hunter2`)
      },
    }
    const { engine, events } = engineWith({ sessions: [cookie(Login, { storage: broken })] })
    const sessions = engine.open(fakeIO({ cookie: `login=${token}` }).io)
    await expect(sessions.get(Login)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
    expect(events).toEqual([
      expect.objectContaining({ code: 'STORAGE_UNAVAILABLE', session: 'login', operation: 'get' }),
    ])
    for (const secret of [token, token.split('.')[5]!, 'hunter2', VALUE_MARKER, SECRET]) {
      expect(logged(events)).not.toContain(secret)
    }
  })

  it('reports an operation once, under the name the app called (take, update, getOrSet)', async () => {
    const { engine, events } = engineWith()
    const sessions = engine.open(fakeIO().io)
    await expect(sessions.getOrSet(Cart, () => ({ items: [{ sku: 'a', quantity: 0 }] }))).rejects.toThrow()
    await expect(sessions.update(Cart, () => ({ items: [{ sku: 'a', quantity: 0 }] }))).rejects.toThrow()
    sessions.commit()
    await expect(sessions.clear(Cart)).rejects.toMatchObject({ code: 'RESPONSE_COMMITTED' })
    await expect(sessions.take(Login)).resolves.toBeNull()
    expect(events.map(({ operation, code }) => `${operation}:${code}`)).toEqual([
      'getOrSet:INVALID_VALUE',
      'update:INVALID_VALUE',
      'clear:RESPONSE_COMMITTED',
    ])
  })

  it('names take, regenerate and id when the storage fails under them', async () => {
    const storage = countingStorage()
    const { engine, events } = engineWith({ sessions: [cookie(Login, { storage: storage.storage })] })
    const browser = new FakeBrowser(engine)
    await browser.request((s) => s.set(Login, { user: 'ada' }))
    storage.fail(() => new Error('connection lost'))
    const calls: ((s: RequestSessions) => Promise<unknown>)[] = [
      (s) => s.take(Login),
      (s) => s.regenerate(Login),
      (s) => s.id(Login),
    ]
    for (const call of calls) {
      await expect(browser.request(call)).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
    }
    expect(events.map(({ operation, code }) => `${operation}:${code}`)).toEqual([
      'take:STORAGE_UNAVAILABLE',
      'regenerate:STORAGE_UNAVAILABLE',
      'id:STORAGE_UNAVAILABLE',
    ])
  })

  it('hears a session error the response refuses at commit, which commit still throws', async () => {
    const { engine, events } = engineWith()
    const request = fakeIO()
    const refusing: SessionIO = {
      ...request.io,
      appendHeader() {
        throw new SessionError('RESPONSE_COMMITTED', 'the response is read-only here', { session: 'cart' })
      },
    }
    const sessions = engine.open(refusing)
    await sessions.set(Cart, { items: [{ sku: 'a', quantity: 1 }] })
    expect(() => sessions.commit()).toThrow('the response is read-only here')
    expect(events).toEqual([
      {
        code: 'RESPONSE_COMMITTED',
        session: 'cart',
        operation: 'commit',
        message: 'the response is read-only here',
      },
    ])
  })

  it('is not told of an app error thrown by an update function, nor of a conflict update retried', async () => {
    const { engine, events } = engineWith()
    const browser = new FakeBrowser(engine)
    await browser.request((s) => s.set(Login, { user: 'ada' }))
    await expect(
      browser.request((s) =>
        s.update(Login, () => {
          throw new Error('the app failed')
        }),
      ),
    ).rejects.toThrow('the app failed')
    let first = true
    const { result } = await browser.request((s) =>
      s.update(Login, async (current) => {
        if (first) await browser.request((other) => other.set(Login, { user: 'grace' }))
        first = false
        return { user: `${current!.user}!` }
      }),
    )
    // The first write conflicted with grace's and was retried on her value.
    expect(result).toEqual({ user: 'grace!' })
    expect(events).toEqual([])
  })

  it('hears the engine operations, and a hook that throws changes nothing for the caller', async () => {
    const onError = vi.fn((_event: SessionErrorEvent) => {
      throw new Error('the logger is down')
    })
    const { engine } = engineWith({ onError })
    await expect(engine.invalidate(Login, 'not an id')).rejects.toMatchObject({ code: 'INVALID_VALUE' })
    await expect(engine.invalidate(Cart, 'abcdefghijkl')).rejects.toMatchObject({ code: 'INVALID_OPERATION' })
    await expect(engine.invalidateOwner(Login, '')).rejects.toMatchObject({ code: 'INVALID_VALUE' })
    expect(onError.mock.calls.map(([event]) => event.operation)).toEqual([
      'invalidate',
      'invalidate',
      'invalidateOwner',
    ])
  })
})
