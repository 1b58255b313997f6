import { describe, expect, it } from 'vitest'
import type { AnySessionDescriptor } from '../src/index'
import { cookie, createSessionEngine, defineSession, header, memoryStorage, SessionError } from '../src/index'

const secret = 'x'.repeat(32)
const Cart = defineSession('cart')
const Login = defineSession('login', { transport: 'header', storage: 'server' })

/** The SessionError a call throws (fails the test when it throws none or another error). */
function refusal(call: () => unknown): SessionError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(SessionError)
    return error as SessionError
  }
  throw new Error('expected an INVALID_OPTION refusal')
}

// Plain JavaScript passes what the types would refuse: the casts stand for that.
const loose = (options: object) => options as any

describe('unknown option names are refused at registration', () => {
  it('cookie() names the option meant (another case)', () => {
    const error = refusal(() => cookie(Cart, loose({ maxAge: 60, httponly: true })))
    expect(error.code).toBe('INVALID_OPTION')
    expect(error.session).toBe('cart')
    expect(error.message).toContain('unknown option httponly: did you mean httpOnly?')
  })

  it('cookie() suggests the option a longer name starts with', () => {
    expect(refusal(() => cookie(Cart, loose({ maxAgeInSeconds: 60 }))).message).toContain(
      'unknown option maxAgeInSeconds: did you mean maxAge?',
    )
  })

  it('suggests a near spelling, and lists the names when none is near', () => {
    expect(refusal(() => cookie(Cart, loose({ smeSite: 'lax' }))).message).toContain('did you mean sameSite?')
    const far = refusal(() => cookie(Cart, loose({ zzzzzzzz: 1 })))
    expect(far.message).toContain('unknown option zzzzzzzz; known options: storage,')
  })

  it('header() refuses a cookie option', () => {
    const error = refusal(() => header(Login, loose({ sameSite: 'lax' })))
    expect(error.code).toBe('INVALID_OPTION')
    expect(error.message).toContain('header(): unknown option sameSite')
  })

  it('defineSession() options with unknown names are refused when the session is registered', () => {
    const register = (descriptor: AnySessionDescriptor) => () =>
      createSessionEngine({ secret, sessions: [descriptor] })
    expect(refusal(register(defineSession('a', loose({ visiblity: 'client' })))).message).toContain(
      'defineSession(): unknown option visiblity: did you mean visibility?',
    )
    expect(refusal(register(defineSession('a', loose({ expiry: { idel: '1h' } })))).message).toContain(
      'did you mean idle?',
    )
    expect(refusal(register(defineSession<string>()('a', loose({ Codec: undefined })))).message).toContain(
      'did you mean codec?',
    )
    // The name list stays on the server: defining alone does not check, and keeps no enumerable trace.
    const defined = defineSession('b', loose({ visiblity: 'client' }))
    expect(Object.keys(defined)).not.toContain('visiblity')
  })

  it('the engine refuses unknown options', () => {
    const error = refusal(() =>
      createSessionEngine(loose({ secret, sessions: [Cart], onInvalidSession: () => {} })),
    )
    expect(error.code).toBe('INVALID_OPTION')
    expect(error.message).toContain('unknown option onInvalidSession: did you mean onInvalid?')
  })

  it('memoryStorage() refuses unknown options', () => {
    expect(refusal(() => memoryStorage(loose({ maxEntires: 5 }))).message).toContain(
      'did you mean maxEntries?',
    )
  })

  it('accepts every documented option', () => {
    expect(() =>
      cookie(Cart, {
        storage: memoryStorage({ maxEntries: 5, now: Date.now }),
        identity: undefined,
        transformers: [],
        skipEqualWrites: true,
        merge: undefined,
        tokenCache: 0,
        maxRetries: 3,
        owner: undefined,
        maxAge: '1h',
        encoding: 'raw',
        chunking: false,
        domain: undefined,
        path: '/',
        secure: 'auto',
        httpOnly: true,
        sameSite: 'lax',
        partitioned: false,
        priority: 'high',
        extensions: {},
      }),
    ).not.toThrow()
    expect(() => header(Login, { exposeHeader: false })).not.toThrow()
    expect(() =>
      createSessionEngine({
        secret,
        sessions: [Cart],
        crypto: undefined,
        onInvalid: () => {},
        now: Date.now,
      }),
    ).not.toThrow()
  })

  it('never echoes a long or odd option name as is', () => {
    const message = refusal(() => cookie(Cart, loose({ ['a\nb'.repeat(50)]: 1 }))).message
    expect(message).not.toContain('\n')
    expect(message.length).toBeLessThan(600)
  })
})
