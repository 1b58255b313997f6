import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { RequestSessions, SessionEngineOptions } from '../src'
import { cookie, createSessionEngine, defineSession, header } from '../src'
import type { ProtectorOptions } from '../src/internal'

const Cart = defineSession<{ items: string[] }>()('cart')
const Prefs = defineSession('prefs', { schema: z.object({ theme: z.enum(['dark', 'light']) }) })
const Login = defineSession<{ userId: string }>()('login', { transport: 'header', storage: 'server' })
declare const sessions: RequestSessions

describe('engine types', () => {
  it('get returns the descriptor type or null', async () => {
    expectTypeOf(await sessions.get(Cart)).toEqualTypeOf<{ items: string[] } | null>()
    expectTypeOf(await sessions.get(Prefs)).toEqualTypeOf<{ theme: 'dark' | 'light' } | null>()
    expectTypeOf(await sessions.get(Login)).toEqualTypeOf<{ userId: string } | null>()
  })

  it('set takes the descriptor type and refuses anything else', async () => {
    await sessions.set(Cart, { items: ['a'] })
    await sessions.set(Prefs, { theme: 'dark' })
    // @ts-expect-error: items must be strings
    await sessions.set(Cart, { items: [1] })
    // @ts-expect-error: not a theme of the schema
    await sessions.set(Prefs, { theme: 'blue' })
    // @ts-expect-error: a value is required; clear ends a session
    await sessions.set(Cart, null)
    // @ts-expect-error: another session's value
    await sessions.set(Login, { items: [] })
  })

  it('getOrSet and update keep a literal union returned from their function, sync and async', async () => {
    const Theme = defineSession<{ theme: 'dark' | 'light'; tags: string[] }>()('theme')
    type Theme = { theme: 'dark' | 'light'; tags: string[] }
    expectTypeOf(await sessions.getOrSet(Theme, () => ({ theme: 'dark', tags: [] }))).toEqualTypeOf<Theme>()
    expectTypeOf(
      await sessions.getOrSet(Theme, async () => ({ theme: 'dark', tags: ['a'] })),
    ).toEqualTypeOf<Theme>()
    expectTypeOf(await sessions.getOrSet(Prefs, () => ({ theme: 'light' }))).toEqualTypeOf<{
      theme: 'dark' | 'light'
    }>()
    expectTypeOf(await sessions.update(Theme, () => ({ theme: 'dark', tags: [] }))).toEqualTypeOf<Theme>()
    expectTypeOf(
      await sessions.update(Theme, async () => ({ theme: 'light', tags: [] })),
    ).toEqualTypeOf<Theme>()
    expectTypeOf(
      await sessions.update(Theme, (current) => (current ? null : { theme: 'light', tags: [] })),
    ).toEqualTypeOf<Theme | null>()
    expectTypeOf(
      await sessions.update(Theme, (current) => ({ ...current!, tags: [...current!.tags, 'b'] })),
    ).toEqualTypeOf<Theme>()
    // @ts-expect-error: not a theme of the session
    await sessions.getOrSet(Theme, () => ({ theme: 'blue', tags: [] }))
    // @ts-expect-error: not a theme of the session
    await sessions.getOrSet(Theme, async () => ({ theme: 'blue', tags: [] }))
    // @ts-expect-error: tags are strings
    await sessions.update(Theme, () => ({ theme: 'dark', tags: [1] }))
    // @ts-expect-error: not a theme of the session
    await sessions.update(Theme, async () => ({ theme: 'blue', tags: [] }))
  })

  it('update and getOrSet keep the type', async () => {
    expectTypeOf(await sessions.update(Cart, (current) => current ?? { items: [] })).toEqualTypeOf<{
      items: string[]
    }>()
    expectTypeOf(await sessions.getOrSet(Login, () => ({ userId: 'u' }))).toEqualTypeOf<{ userId: string }>()
    // @ts-expect-error: update must return the session type
    await sessions.update(Cart, () => ({ items: 'a' }))
  })

  it('cookie() takes cookie descriptors only, header() header descriptors only', () => {
    cookie(Cart, { maxAge: '7d', sameSite: 'strict' })
    header(Login, { exposeHeader: false })
    // @ts-expect-error: a header session cannot be registered as a cookie
    cookie(Login)
    // @ts-expect-error: a cookie session cannot be registered as a header
    header(Cart)
    // @ts-expect-error: cookie settings are not header settings
    header(Login, { maxAge: '1d' })
  })

  it('merge and owner see the session type', () => {
    cookie(Cart, { merge: (mine, theirs) => ({ items: [...mine.items, ...(theirs?.items ?? [])] }) })
    header(Login, { owner: (value) => value.userId })
    // @ts-expect-error: userId is not a property of the cart
    cookie(Cart, { owner: (value) => value.userId })
  })

  it('createSessionEngine takes descriptors and registrations', () => {
    const engine = createSessionEngine({
      secret: 's'.repeat(32),
      sessions: [Cart, cookie(Prefs), header(Login)],
    })
    expectTypeOf(engine.open).returns.toEqualTypeOf<RequestSessions>()
    expectTypeOf(engine.invalidateOwner).returns.resolves.toBeNumber()
  })

  it('offers no sealing nonce option: fixed nonces are not for applications', () => {
    expectTypeOf<SessionEngineOptions>().not.toHaveProperty('nonce')
    expectTypeOf<ProtectorOptions>().not.toHaveProperty('nonce')
  })
})
