import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import type { PossibleOptions, Protection, SessionValue } from '../src'
import { defineSession } from '../src'

describe('defineSession types', () => {
  it('takes the value type from a type parameter', () => {
    const Cart = defineSession<{ items: string[] }>()('cart')
    expectTypeOf<SessionValue<typeof Cart>>().toEqualTypeOf<{ items: string[] }>()
  })

  it('takes the value type from a zod or valibot schema (its output)', () => {
    const Zod = defineSession('z', { schema: z.object({ n: z.number(), at: z.coerce.date() }) })
    expectTypeOf<SessionValue<typeof Zod>>().toEqualTypeOf<{ n: number; at: Date }>()
    const Valibot = defineSession('v', { schema: v.object({ sku: v.string(), qty: v.number() }) })
    expectTypeOf<SessionValue<typeof Valibot>>().toEqualTypeOf<{ sku: string; qty: number }>()
  })

  it('is unknown without a schema or type parameter', () => {
    const Loose = defineSession('loose')
    expectTypeOf<SessionValue<typeof Loose>>().toBeUnknown()
  })

  it('resolves access to literal types with the defaults applied', () => {
    const Default = defineSession('a')
    expectTypeOf(Default.transport).toEqualTypeOf<'cookie'>()
    expectTypeOf(Default.storage).toEqualTypeOf<'client'>()
    expectTypeOf(Default.visibility).toEqualTypeOf<'server'>()
    expectTypeOf(Default.protection).toEqualTypeOf<'sealed'>()

    const Visible = defineSession('b', { visibility: 'client' })
    expectTypeOf(Visible.protection).toEqualTypeOf<'ed25519'>()

    const Stored = defineSession<{ id: string }>()('c', { storage: 'server', transport: 'header' })
    expectTypeOf(Stored.protection).toEqualTypeOf<'signed'>()
    expectTypeOf(Stored.transport).toEqualTypeOf<'header'>()
    expectTypeOf(Stored.storage).toEqualTypeOf<'server'>()

    const Owned = defineSession('d', { visibility: 'client', protection: 'none' })
    expectTypeOf(Owned.protection).toEqualTypeOf<'none'>()

    const Signed = defineSession('e', { protection: 'signed' })
    expectTypeOf(Signed.protection).toEqualTypeOf<'signed'>()
    expectTypeOf(Signed.protection).toExtend<Protection>()
  })

  it('refuses options of the wrong kind', () => {
    // @ts-expect-error: not a transport
    defineSession('x', { transport: 'body' })
    // @ts-expect-error: not a protection
    defineSession('x', { protection: 'aes' })
    const stringCodec = { name: 's', encode: (value: string) => value, decode: (text: string) => text }
    // @ts-expect-error: the codec must handle the declared type
    defineSession<{ n: number }>()('x', { codec: stringCodec })
  })
})

describe('defineSession refuses what no session can be, at compile time', () => {
  it('refuses impossible combinations with the reason', () => {
    // @ts-expect-error: visibility 'client' takes protection 'ed25519' or 'none'
    defineSession('a', { visibility: 'client', protection: 'sealed' })
    // @ts-expect-error: storage 'server' cannot be visible to the client
    defineSession('b', { visibility: 'client', storage: 'server' })
    // @ts-expect-error: storage 'server' takes protection 'signed' or 'none'
    defineSession('c', { storage: 'server', protection: 'ed25519' })
    // @ts-expect-error: publicKeys need protection 'ed25519'
    defineSession('d', { protection: 'signed', publicKeys: { '0': 'key' } })
    // @ts-expect-error: the same rules with a value type
    defineSession<{ n: number }>()('e', { visibility: 'client', protection: 'sealed' })
    expectTypeOf<PossibleOptions<{ visibility: 'client'; storage: 'server' }>>().toEqualTypeOf<{
      readonly '~error': "storage 'server' cannot be visible to the client: only an id travels"
    }>()
  })

  it('takes every possible combination, and a protection it cannot know yet', () => {
    defineSession('f', { visibility: 'client' })
    defineSession('g', { visibility: 'client', protection: 'none', transport: 'header' })
    defineSession('h', { storage: 'server', protection: 'none' })
    defineSession('i', { protection: 'ed25519' as 'ed25519' | 'sealed' })
    defineSession('j', { visibility: 'client', publicKeys: { '0': 'key' } })
    defineSession<{ n: number }>()('k', { storage: 'server', transport: 'header' })
    expectTypeOf<PossibleOptions<{ visibility: 'client' }>>().toEqualTypeOf<unknown>()
  })

  it('says what to write when the value type is given with the name', () => {
    // @ts-expect-error: not session options: for a value type, write defineSession<T>()(name, options)
    defineSession<{ userId: string }>('login')
    // @ts-expect-error: the same, with options
    defineSession<{ userId: string }>('login', { transport: 'header' })
  })
})
