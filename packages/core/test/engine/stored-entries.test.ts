import { describe, expect, it } from 'vitest'
import type { InvalidSessionEvent, RequestSessions, SessionStorage } from '../../src'
import {
  cookie,
  createSessionEngine,
  defineSession,
  isSessionError,
  memoryStorage,
  SessionError,
} from '../../src'
import { countingStorage } from '../helpers/counting-storage'
import { FakeBrowser, fakeClock, SECRET } from '../helpers/fake-io'

/*
 * What the engine keeps in a storage for a server-stored session, read back from data it did not
 * write; the lifetime it enforces from there; metadata's limits; compare-and-set conflicts, merges
 * and their messages; the errors a storage throws.
 */

type User = { user: string }
const Login = defineSession<User>()('login', { storage: 'server', expiry: { idle: '1h' } })

function setup(options: { merge?: (mine: User, theirs: User | null) => User; maxRetries?: number } = {}) {
  const clock = fakeClock()
  const counted = countingStorage({ now: clock.now })
  const events: InvalidSessionEvent[] = []
  const engine = createSessionEngine({
    secret: SECRET,
    sessions: [cookie(Login, { storage: counted.storage, ...options })],
    now: clock.now,
    onInvalid: (event) => events.push(event),
  })
  const browser = new FakeBrowser(engine, clock.now)
  /** Starts a session as ada and returns its id. */
  const start = async () =>
    (
      await browser.request(async (s) => {
        await s.set(Login, { user: 'ada' })
        return s.id(Login)
      })
    ).result!
  /** Replaces the stored data of `id` (the next version), as another writer or a corruption would. */
  const overwrite = async (id: string, data: string) => {
    const current = await counted.storage.read(id)
    const version = await counted.storage.write(id, data, {
      ttl: 3_600_000,
      expectedVersion: current?.version ?? null,
    })
    expect(version).not.toBeNull()
  }
  /**
   * What a request that read the session, then writes ada's new value, throws when `meanwhile` (another
   * request) ran between its read and its write; undefined when it throws nothing.
   */
  const racedBy = (meanwhile: (other: RequestSessions) => Promise<void>) =>
    browser
      .request(async (s) => {
        await s.get(Login)
        await browser.request(meanwhile)
        await s.set(Login, { user: 'ada!' })
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
  return { ...counted, clock, engine, events, browser, start, overwrite, racedBy }
}

const line = (fields: Record<string, unknown>) => JSON.stringify({ tessera: 'entry/1', ...fields })

describe('a stored entry', () => {
  it('that cannot be read is an absent session (DECODE_FAILED), whatever part is wrong', async () => {
    const entries = [
      `{"tessera":"entry/1","iat":1800000000\n{"json":{"user":"ada"}}`, // the line is not JSON
      `${line({ iat: 1_800_000_000 })}`, // no newline, no text
      `${line({ iat: 1_800_000_000, end: 'soon' })}\n{"json":{"user":"ada"}}`,
      `${line({ iat: 1_800_000_000, seen: -1 })}\n{"json":{"user":"ada"}}`,
      `${line({ iat: 1_800_000_000, meta: ['device'] })}\n{"json":{"user":"ada"}}`,
      `${line({ iat: 1.5 })}\n{"json":{"user":"ada"}}`,
      `{"tessera":"entry/2","iat":1800000000}\n{"json":{"user":"ada"}}`,
    ]
    for (const data of entries) {
      const env = setup()
      const id = await env.start()
      await env.overwrite(id, data)
      expect((await env.browser.request((s) => s.get(Login))).result, data).toBeNull()
      expect(
        env.events.map((event) => event.reason),
        data,
      ).toEqual(['DECODE_FAILED'])
    }
  })

  it('reads with any field the line may leave out, and with a start at 0', async () => {
    for (const data of [
      `${line({ iat: 1_800_000_000 })}\n{"json":{"user":"grace"}}`,
      `${line({ iat: 1_800_000_000, seen: 1_800_000_000, meta: { device: 'phone' } })}\n{"json":{"user":"grace"}}`,
      `${line({ iat: 0 })}\n{"json":{"user":"grace"}}`,
    ]) {
      const env = setup()
      const id = await env.start()
      await env.overwrite(id, data)
      expect((await env.browser.request((s) => s.get(Login))).result, data).toEqual({ user: 'grace' })
      expect(env.events, data).toEqual([])
    }
  })

  it('writes only the fields it has: no end, seen or meta keys when there are none', async () => {
    const env = setup()
    const id = await env.start()
    const data = (await env.storage.read(id))!.data
    expect(data).toBe(`${line({ iat: 1_800_000_000, seen: 1_800_000_000 })}\n{"json":{"user":"ada"}}`)
  })

  it('of a session with its own lifetime ends there, whatever a `none` token claims', async () => {
    const Unsigned = defineSession<User>()('unsigned', { storage: 'server', protection: 'none' })
    const clock = fakeClock()
    // A storage that keeps entries past their TTL: the end is the engine's to enforce.
    const inner = memoryStorage({ now: clock.now })
    const keeping: SessionStorage = {
      ...inner,
      write: (id, data, options) => inner.write(id, data, { ...options, ttl: 0 }),
    }
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Unsigned, { storage: keeping })],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    await browser.request((s) => s.set(Unsigned, { user: 'ada' }, { maxAge: 60 }))
    const token = browser.cookies.get('unsigned')!
    // The client claims a later end: `v1.n.<iat>.<exp>.<id>`.
    const forged = (seconds: number) => `v1.n.${seconds}.${seconds + 86_400}.${token.split('.')[4]}`
    clock.advance(59)
    browser.cookies.set('unsigned', forged(clock.seconds()))
    expect((await browser.request((s) => s.get(Unsigned))).result).toEqual({ user: 'ada' })
    clock.advance(1)
    browser.cookies.set('unsigned', forged(clock.seconds()))
    expect((await browser.request((s) => s.get(Unsigned))).result).toBeNull()
  })

  it('of a session with no expiry is kept with no TTL', async () => {
    const Forever = defineSession<User>()('forever', { storage: 'server', expiry: { idle: null } })
    const clock = fakeClock()
    const storage = memoryStorage({ now: clock.now })
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Forever, { storage })],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    await browser.request((s) => s.set(Forever, { user: 'ada' }))
    clock.advance(400 * 86_400)
    expect((await browser.request((s) => s.get(Forever))).result).toEqual({ user: 'ada' })
  })
})

describe('metadata', () => {
  const refusal = async (metadata: unknown) => {
    const env = setup()
    const error = await env.browser
      .request((s) => s.set(Login, { user: 'ada' }, { metadata: metadata as never }))
      .then(() => undefined)
      .catch((caught: unknown) => caught)
    return error === undefined ? 'stored' : isSessionError(error, 'INVALID_OPTION') ? 'refused' : error
  }
  const labels = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`l${i}`, 'x']))

  it('is up to 16 string labels, names of 1 to 64 characters, values of at most 512', async () => {
    expect(await refusal(labels(16))).toBe('stored')
    expect(await refusal(labels(17))).toBe('refused')
    expect(await refusal({ ['n'.repeat(64)]: 'v'.repeat(512) })).toBe('stored')
    expect(await refusal({ ['n'.repeat(65)]: 'v' })).toBe('refused')
    expect(await refusal({ n: 'v'.repeat(513) })).toBe('refused')
    expect(await refusal({ '': 'v' })).toBe('refused')
    expect(await refusal({ n: 1 })).toBe('refused')
    expect(await refusal({})).toBe('stored')
    expect(await refusal({ n: 'v' })).toBe('stored')
    expect(await refusal({ n: ['v'] })).toBe('refused')
  })

  it('is a plain object of labels: not a string, an array or null', async () => {
    for (const metadata of ['device', ['device'], null, 5]) {
      expect(await refusal(metadata), JSON.stringify(metadata)).toBe('refused')
    }
  })
})

describe('compare-and-set', () => {
  /** A storage whose every write loses the race, as if another request always wrote first. */
  const alwaysBeaten = (storage: SessionStorage, onWrite: () => void): SessionStorage => ({
    ...storage,
    async write(id, data, options) {
      onWrite()
      const current = await storage.read(id)
      if (options.expectedVersion === null && current === null) return storage.write(id, data, options)
      return null
    },
  })

  it('without merge, a conflict is CONFLICT, saying what to do', async () => {
    const env = setup()
    await env.start()
    const error = await env.racedBy((other) => other.set(Login, { user: 'grace' }))
    expect(error).toMatchObject({
      code: 'CONFLICT',
      session: 'login',
      message:
        'session "login": another request changed the session first; re-read and retry (or give a merge function)',
    })
  })

  it('with merge, gives up after maxRetries writes that all lost the race', async () => {
    let writes = 0
    const clock = fakeClock()
    const inner = memoryStorage({ now: clock.now })
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [
        cookie(Login, {
          storage: alwaysBeaten(inner, () => writes++),
          merge: (mine) => mine,
          maxRetries: 3,
        }),
      ],
      now: clock.now,
    })
    const browser = new FakeBrowser(engine, clock.now)
    await browser.request((s) => s.set(Login, { user: 'ada' }))
    writes = 0
    await expect(browser.request((s) => s.set(Login, { user: 'grace' }))).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    expect(writes).toBe(3)
  })

  it('merges with null when the entry stored meanwhile cannot be read', async () => {
    const seen: (User | null)[] = []
    const env = setup({
      merge: (mine, theirs) => {
        seen.push(theirs)
        return { user: `${mine.user}+${theirs?.user ?? 'nobody'}` }
      },
    })
    const id = await env.start()
    const { result } = await env.browser.request(async (s) => {
      await s.get(Login)
      await env.overwrite(id, `${line({ iat: 'never' })}\n{"json":{"user":"grace"}}`)
      await s.set(Login, { user: 'ada!' })
      return s.get(Login)
    })
    expect(seen).toEqual([null])
    expect(result).toEqual({ user: 'ada!+nobody' })
  })

  it('refuses a merge that returns nothing: INVALID_VALUE, saying so', async () => {
    const env = setup({ merge: () => null as never })
    await env.start()
    const error = await env.racedBy((other) => other.set(Login, { user: 'grace' }))
    expect(error).toMatchObject({
      code: 'INVALID_VALUE',
      message: 'session "login": merge returned no value',
    })
  })

  it('never brings back a session that ended meanwhile: CONFLICT, saying so', async () => {
    const env = setup({ merge: (mine) => mine })
    await env.start()
    const error = await env.racedBy((other) => other.clear(Login))
    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: 'session "login": the session ended while this request was changing it',
    })
  })
})

describe('a failing storage', () => {
  it('passes a SessionError through as it is, and names what else failed by its kind only', async () => {
    const env = setup()
    await env.start()
    const own = new SessionError('TOO_LARGE', 'the storage refused an entry of this size')
    env.fail(() => own)
    await expect(env.browser.request((s) => s.get(Login))).rejects.toBe(own)
    env.fail(() => {
      throw 'a bare string'
    })
    await expect(env.browser.request((s) => s.get(Login))).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: 'session "login": the storage failed (error)',
    })
  })

  it('refuses an owner it cannot index, naming the session and never the owner', async () => {
    const env = setup()
    const error = await env.engine.invalidateOwner(Login, 'a\u0000b').catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'INVALID_VALUE',
      session: 'login',
      message:
        'session "login": an owner must be 1 to 512 characters of well-formed text without control characters',
    })
  })
})
