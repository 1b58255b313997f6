import { describe, expect, it, vi } from 'vitest'
import { InvalidReason, isSessionError, SessionError, SessionErrorCode } from '../src'

describe('SessionError', () => {
  it('carries name, code, session and cause', () => {
    const cause = new Error('socket closed')
    const error = new SessionError('STORAGE_UNAVAILABLE', 'session "cart": the storage failed', {
      cause,
      session: 'cart',
    })
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(SessionError)
    expect(error.name).toBe('SessionError')
    expect(error.code).toBe('STORAGE_UNAVAILABLE')
    expect(error.session).toBe('cart')
    expect(error.cause).toBe(cause)
    expect(String(error)).toBe('SessionError: session "cart": the storage failed')
  })

  it('has no cause property when none is given', () => {
    const error = new SessionError('TOO_LARGE', 'too large')
    expect('cause' in error).toBe(false)
    expect(error.session).toBeUndefined()
  })

  it('codes and reasons are their own names', () => {
    for (const [key, value] of Object.entries(SessionErrorCode)) expect(value).toBe(key)
    for (const [key, value] of Object.entries(InvalidReason)) expect(value).toBe(key)
  })
})

describe('isSessionError', () => {
  it('recognises a SessionError, optionally by code', () => {
    const error = new SessionError('TOO_LARGE', 'too large')
    expect(isSessionError(error)).toBe(true)
    expect(isSessionError(error, 'TOO_LARGE')).toBe(true)
    expect(isSessionError(error, 'CONFLICT')).toBe(false)
  })

  it('refuses look-alikes without the brand', () => {
    const plain = Object.assign(new Error('x'), { name: 'SessionError', code: 'TOO_LARGE' })
    for (const value of [plain, { code: 'TOO_LARGE' }, null, undefined, 'SessionError', 42]) {
      expect(isSessionError(value)).toBe(false)
    }
    expect(isSessionError({ [Symbol.for('tessera.SessionError')]: 'yes', code: 'TOO_LARGE' })).toBe(false)
  })

  it('recognises the error of a second copy of the package by its brand', async () => {
    vi.resetModules()
    const copy = (await import('../src/errors?second-copy')) as typeof import('../src/errors')
    expect(copy.SessionError).not.toBe(SessionError)

    const foreign = new copy.SessionError('CONFLICT', 'conflict')
    expect(foreign instanceof SessionError).toBe(false)
    expect(isSessionError(foreign)).toBe(true)
    expect(isSessionError(foreign, 'CONFLICT')).toBe(true)
    expect(isSessionError(foreign, 'TOO_LARGE')).toBe(false)

    const ours = new SessionError('EXPIRED' as never, 'x')
    expect(copy.isSessionError(ours)).toBe(true)
  })
})
