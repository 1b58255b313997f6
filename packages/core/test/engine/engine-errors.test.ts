import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession } from '../../src'
import { fakeIO, SECRET } from '../helpers/fake-io'

/* The engine's errors: a code, the session's name as `session`, and a message that says what to do. */

const Big = defineSession<{ blob: string }>()('big', { protection: 'signed' })
const Login = defineSession<{ user: string }>()('login', { storage: 'server' })
const blob = (length: number) =>
  Array.from({ length }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('')

describe('engine errors', () => {
  it('TOO_LARGE without chunking gives the cookie size in bytes, over 4096', async () => {
    const engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Big)] })
    const error = await engine
      .open(fakeIO().io)
      .set(Big, { blob: blob(5000) })
      .catch((caught: unknown) => caught as Error)
    expect(error).toMatchObject({ code: 'TOO_LARGE', session: 'big' })
    const [, bytes] =
      /^session "big": the cookie would be ([0-9]+) bytes, over the browser limit of 4096; store it server-side, make it smaller or enable chunking$/.exec(
        (error as Error).message,
      )!
    expect(Number(bytes)).toBeGreaterThan(4096 + 5000 / 2)
    expect(Number(bytes)).toBeLessThan(4096 * 2)
  })

  it('TOO_LARGE with chunking gives the number of chunks needed', async () => {
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Big, { chunking: { maxChunks: 2 } })],
    })
    const error = await engine
      .open(fakeIO().io)
      .set(Big, { blob: blob(10_000) })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({
      code: 'TOO_LARGE',
      session: 'big',
      message: 'session "big": the cookie would need 4 chunks, over maxChunks 2',
    })
  })

  it('RESPONSE_COMMITTED names the session and says what to do', async () => {
    const engine = createSessionEngine({ secret: SECRET, sessions: [cookie(Big)] })
    const sessions = engine.open(fakeIO().io)
    sessions.commit()
    await expect(sessions.set(Big, { blob: 'x' })).rejects.toMatchObject({
      code: 'RESPONSE_COMMITTED',
      session: 'big',
      message: 'session "big": the response headers are already sent; change sessions before responding',
    })
  })

  it('an identity that returns no valid id: INVALID_OPTION naming the session', async () => {
    const engine = createSessionEngine({
      secret: SECRET,
      sessions: [cookie(Login, { identity: () => 'no' })],
    })
    await expect(engine.open(fakeIO().io).set(Login, { user: 'ada' })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      session: 'login',
      message: 'session "login": identity must return 8 to 128 characters of A-Z a-z 0-9 _ -',
    })
  })
})
