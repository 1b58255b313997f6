import { describe, expect, it, vi } from 'vitest'
import type { CookieAttributeOptions } from '../../src'
import { cookieAttributes, readCookie, serializeCookie } from '../../src/internal'

/** The SessionError that `run` throws. */
function thrown(run: () => unknown): Error & { code?: string; session?: string } {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('readCookie, at the edges of the header', () => {
  it('finds a cookie after leading spaces or tabs at the very start of the header', () => {
    expect(readCookie(' cart=x', 'cart')).toBe('x')
    expect(readCookie('\t cart=x; a=1', 'cart')).toBe('x')
  })

  it('keeps a quote that only ends the value, or only starts it', () => {
    expect(readCookie('cart=ab"', 'cart')).toBe('ab"')
    expect(readCookie('cart="ab', 'cart')).toBe('"ab')
  })
})

describe('errors of cookie attributes and values name the cookie and the rule', () => {
  const cases: [CookieAttributeOptions, string, string?][] = [
    [{ path: '' }, 'domain and path must be non-empty, without controls, ";" or ","'],
    [{ sameSite: 'none' }, '__Secure-, __Host-, SameSite=None and Partitioned need secure: true'],
    [{ secure: true, path: '/a' }, '__Host- needs path "/" and no domain', '__Host-cart'],
    [{ sameSite: 'loose' as never }, 'sameSite must be lax, strict, none or false'],
    [{ priority: 'urgent' as never }, 'priority must be low, medium or high'],
  ]
  for (const [options, rule, name = 'cart'] of cases) {
    it(rule, () => {
      const error = thrown(() => cookieAttributes(name, options))
      expect(error).toMatchObject({ code: 'INVALID_OPTION', session: name })
      expect(error.message).toBe(`cookie "${name}": ${rule}`)
    })
  }

  it('an extension with a bad name is named by its first 40 characters only', () => {
    const key = `${'k'.repeat(60)} x`
    const error = thrown(() => cookieAttributes('cart', { extensions: { [key]: true } }))
    expect(error.message).toBe(
      `cookie "cart": extension "${'k'.repeat(40)}" needs a token name, and a value without controls, ";" or ","`,
    )
  })

  it('renders each priority', () => {
    for (const priority of ['low', 'medium', 'high'] as const) {
      const label = priority[0]!.toUpperCase() + priority.slice(1)
      expect(cookieAttributes('cart', { priority }).tail).toBe(
        `; Path=/; HttpOnly; SameSite=Lax; Priority=${label}`,
      )
    }
  })

  it('a value a cookie cannot hold: INVALID_VALUE naming the cookie', () => {
    const error = thrown(() =>
      serializeCookie('cart', 'a;b', cookieAttributes('cart', {}), { maxAge: null, now: 0, secure: false }),
    )
    expect(error).toMatchObject({ code: 'INVALID_VALUE', session: 'cart' })
    expect(error.message).toBe('cookie "cart": the value has characters a cookie cannot hold')
  })
})

describe('serializeCookie in a fresh process', () => {
  it('dates Expires right from the first line it writes, whatever its second', async () => {
    vi.resetModules()
    const fresh = (await import('../../src/cookie?second-copy')) as typeof import('../../src/cookie')
    const attributes = cookieAttributes('cart', {})
    expect(fresh.serializeCookie('cart', 'a', attributes, { maxAge: 1, now: 0, secure: false })).toBe(
      'cart=a; Max-Age=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Path=/; HttpOnly; SameSite=Lax',
    )
  })
})
