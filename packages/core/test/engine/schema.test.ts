import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { InvalidSessionEvent, StandardSchemaV1 } from '../../src'
import { createSessionEngine, defineSession, isSessionError } from '../../src'
import { FakeBrowser, fakeIO, isClearing, SECRET } from '../helpers/fake-io'

const schemas: [string, StandardSchemaV1<unknown, { qty: number; sku: string }>][] = [
  ['zod 4', z.object({ sku: z.string(), qty: z.number().int().min(1) })],
  ['valibot', v.object({ sku: v.string(), qty: v.pipe(v.number(), v.integer(), v.minValue(1)) })],
]

describe('schema validation', () => {
  for (const [label, schema] of schemas) {
    describe(label, () => {
      const Line = defineSession('line', { schema })
      // A looser twin under the same name writes what the strict one must refuse on read.
      const Loose = defineSession<unknown>()('line')

      it('set accepts a valid value and get returns it', async () => {
        const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Line] }))
        await browser.request((s) => s.set(Line, { sku: 'A-1', qty: 2 }))
        expect((await browser.request((s) => s.get(Line))).result).toEqual({ sku: 'A-1', qty: 2 })
      })

      it('set refuses an invalid value with INVALID_VALUE, writing nothing and naming no value', async () => {
        const engine = createSessionEngine({ secret: SECRET, sessions: [Line] })
        const io = fakeIO()
        const sessions = engine.open(io.io)
        const error = await sessions
          .set(Line, { sku: 'secret-sku', qty: 0 })
          .catch((caught: unknown) => caught)
        expect(isSessionError(error, 'INVALID_VALUE')).toBe(true)
        expect((error as Error).message).not.toContain('secret-sku')
        await expect(sessions.set(Line, { sku: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_VALUE' })
        sessions.commit()
        expect(io.appended).toEqual([])
      })

      it('a stored value that fails the schema reads as absent: SCHEMA_FAILED and a clearing cookie', async () => {
        const events: InvalidSessionEvent[] = []
        const writer = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Loose] }))
        await writer.request((s) => s.set(Loose, { sku: 'A-1', qty: -5 }))
        const engine = createSessionEngine({
          secret: SECRET,
          sessions: [Line],
          onInvalid: (e) => events.push(e),
        })
        const io = fakeIO({ cookie: `line=${writer.cookies.get('line')}` })
        const sessions = engine.open(io.io)
        expect(await sessions.get(Line)).toBeNull()
        sessions.commit()
        expect(events).toEqual([{ session: 'line', reason: 'SCHEMA_FAILED' }])
        expect(io.setCookies().map(isClearing)).toEqual([true])
      })
    })
  }

  it('stores and returns the schema output (defaults, transforms)', async () => {
    const Prefs = defineSession('prefs', {
      schema: z.object({ theme: z.string().default('light'), n: z.coerce.number() }),
    })
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Prefs] }))
    await browser.request(async (s) => {
      await s.set(Prefs, { n: '3' } as never)
      expect(await s.get(Prefs)).toEqual({ theme: 'light', n: 3 })
    })
    expect((await browser.request((s) => s.get(Prefs))).result).toEqual({ theme: 'light', n: 3 })
  })

  it('awaits a schema that answers with a thenable that is not a native Promise (another realm, say)', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is what this test needs
    const thenable = <T>(value: T) => ({ then: (resolve: (v: T) => void) => resolve(value) })
    const positive: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          thenable(
            typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'not positive' }] },
          ) as never,
      },
    }
    const Count = defineSession('count', { schema: positive })
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Count] }))
    await browser.request(async (s) => {
      await expect(s.set(Count, -1)).rejects.toMatchObject({ code: 'INVALID_VALUE' })
      await s.set(Count, 3)
    })
    expect((await browser.request((s) => s.get(Count))).result).toBe(3)
  })

  it('runs async schemas', async () => {
    const schema = z.object({ name: z.string() }).refine(async (value) => value.name !== 'root')
    const User = defineSession('user', { schema })
    const browser = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [User] }))
    await browser.request((s) => s.set(User, { name: 'ada' }))
    expect((await browser.request((s) => s.get(User))).result).toEqual({ name: 'ada' })
    await browser.request(async (s) => {
      await expect(s.set(User, { name: 'root' })).rejects.toMatchObject({ code: 'INVALID_VALUE' })
    })
  })
})

describe('a schema that throws (#13, 13)', () => {
  /** A schema that throws, or rejects, on a value with `hostile` set; its message quotes the value. */
  const throwing = (mode: 'throw' | 'reject'): StandardSchemaV1<unknown, { hostile?: string }> => ({
    '~standard': {
      version: 1,
      vendor: 'test',
      validate(value) {
        const hostile = (value as { hostile?: string }).hostile
        if (hostile === undefined) return { value: value as { hostile?: string } }
        const error = new RangeError(`cannot handle ${hostile}`)
        if (mode === 'throw') throw error
        return Promise.reject(error)
      },
    },
  })

  for (const mode of ['throw', 'reject'] as const) {
    it(`${mode}: reads the value as absent (SCHEMA_FAILED) and clears it, never a rejected get`, async () => {
      const events: InvalidSessionEvent[] = []
      const Loose = defineSession<{ hostile?: string }>()('note', { protection: 'signed' })
      const writer = new FakeBrowser(createSessionEngine({ secret: SECRET, sessions: [Loose] }))
      await writer.request((s) => s.set(Loose, { hostile: 'x'.repeat(5) }))
      const Note = defineSession('note', { protection: 'signed', schema: throwing(mode) })
      const engine = createSessionEngine({
        secret: SECRET,
        sessions: [Note],
        onInvalid: (e) => events.push(e),
      })
      const io = fakeIO({ cookie: `note=${writer.cookies.get('note')}` })
      const sessions = engine.open(io.io)
      expect(await sessions.get(Note)).toBeNull()
      sessions.commit()
      expect(events).toEqual([{ session: 'note', reason: 'SCHEMA_FAILED' }])
      expect(io.setCookies().map(isClearing)).toEqual([true])
    })

    it(`${mode}: refuses the value at set with INVALID_VALUE, keeping only the name of what was thrown`, async () => {
      const Note = defineSession('note', { protection: 'signed', schema: throwing(mode) })
      const io = fakeIO()
      const sessions = createSessionEngine({ secret: SECRET, sessions: [Note] }).open(io.io)
      const error = await sessions.set(Note, { hostile: 'secret-value' }).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'INVALID_VALUE')).toBe(true)
      expect((error as Error).message).toBe('session "note": the schema threw on the value')
      expect((error as Error).cause).toEqual(new Error('RangeError'))
      expect(JSON.stringify(error) + String((error as Error).cause)).not.toContain('secret-value')
      sessions.commit()
      expect(io.appended).toEqual([])
    })
  }
})
