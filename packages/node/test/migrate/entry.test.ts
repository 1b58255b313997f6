import { afterEach, describe, expect, it, vi } from 'vitest'
import { isSessionError } from '../../src'
import * as migrate from '../../src/migrate'

describe('@tessera/node/migrate', () => {
  afterEach(() => {
    vi.doUnmock('iron-session')
    vi.resetModules()
  })

  it('exports these names', () => {
    expect(Object.keys(migrate).sort()).toEqual([
      'expressSessionCookie',
      'ironSessionCookie',
      'migrateSessions',
    ])
  })

  it('says to install iron-session when it is missing, on the first iron cookie read', async () => {
    vi.resetModules()
    vi.doMock('iron-session', () => {
      throw new Error('Cannot find package iron-session')
    })
    const fresh: typeof migrate = await import('../../src/migrate')
    const { defineSession } = await import('../../src')
    const Login = defineSession<{ userId: string }>()('login')
    const reader = fresh.ironSessionCookie(Login, {
      cookieName: 'iron',
      password: 'the password the iron-session app sealed with, 32+',
      from: () => ({ userId: 'u1' }),
    })
    const error = await reader.open('Fe26.2**x').then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(isSessionError(error, 'UNSUPPORTED')).toBe(true)
    expect((error as Error).message).toContain('install it')
  })
})
