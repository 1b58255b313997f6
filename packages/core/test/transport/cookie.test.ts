import { describe, expect, it } from 'vitest'
import type { CookieAttributeOptions } from '../../src'
import { cookie, createSessionEngine, defineSession, isSessionError } from '../../src'
import { readCookies } from '../../src/cookie'
import {
  assertCookieFits,
  cookieAttributes,
  decodeCookieValue,
  encodeCookieValue,
  readCookie,
  serializeCookie,
} from '../../src/internal'

describe('readCookie', () => {
  it('finds a cookie at the start, middle and end of the header', () => {
    const header = 'a=1; cart=v1.s.x; z=3'
    expect(readCookie(header, 'a')).toBe('1')
    expect(readCookie(header, 'cart')).toBe('v1.s.x')
    expect(readCookie(header, 'z')).toBe('3')
  })

  it('is undefined when the header or the cookie is missing', () => {
    expect(readCookie(undefined, 'cart')).toBeUndefined()
    expect(readCookie('', 'cart')).toBeUndefined()
    expect(readCookie('a=1; b=2', 'cart')).toBeUndefined()
  })

  it('tolerates missing or extra spaces and tabs around pairs and values', () => {
    expect(readCookie('a=1;cart=x', 'cart')).toBe('x')
    expect(readCookie('a=1;   cart=x  ;b=2', 'cart')).toBe('x')
    expect(readCookie('a=1;\tcart=x', 'cart')).toBe('x')
    expect(readCookie('cart= x ', 'cart')).toBe('x')
  })

  it('removes surrounding double quotes only when both are there', () => {
    expect(readCookie('cart="v1.n.x"', 'cart')).toBe('v1.n.x')
    expect(readCookie('cart="', 'cart')).toBe('"')
    expect(readCookie('cart="abc', 'cart')).toBe('"abc')
    expect(readCookie('cart=""', 'cart')).toBe('')
  })

  it('does not mistake similar names or values for the cookie', () => {
    expect(readCookie('xcart=1; cart=2', 'cart')).toBe('2')
    expect(readCookie('cartx=1; cart=2', 'cart')).toBe('2')
    expect(readCookie('cart_id=1', 'cart')).toBeUndefined()
    expect(readCookie('other=cart=3; cart=4', 'cart')).toBe('4')
    expect(readCookie('other=cart=3', 'cart')).toBeUndefined()
    expect(readCookie('a=xcart; cart=5', 'cart')).toBe('5')
  })

  it('lets the first cookie of a name win (the most specific path comes first)', () => {
    expect(readCookie('cart=first; cart=second', 'cart')).toBe('first')
  })

  it('reads an empty value as empty', () => {
    expect(readCookie('cart=; b=2', 'cart')).toBe('')
  })
})

describe('readCookies', () => {
  it('returns every cookie of the name in the order sent, and nothing of similar names', () => {
    expect(readCookies('cart=a; xcart=b; cart="c"; other=cart=d;cart=; cart_id=e', 'cart')).toEqual([
      'a',
      'c',
      '',
    ])
    expect(readCookies('a=1; b=2', 'cart')).toEqual([])
    expect(readCookies(undefined, 'cart')).toEqual([])
  })
})

describe('cookie value encodings', () => {
  const token = 'v1.s.k2.1.2.eyJ.abc-_'
  it('raw passes the token through', () => {
    expect(encodeCookieValue(token, 'raw')).toBe(token)
    expect(decodeCookieValue(token, 'raw')).toBe(token)
  })

  it('uri and base64url round-trip, and refuse what they cannot decode', () => {
    for (const encoding of ['uri', 'base64url'] as const) {
      for (const text of [token, 'a b;c,d"é']) {
        expect(decodeCookieValue(encodeCookieValue(text, encoding), encoding)).toBe(text)
      }
    }
    expect(encodeCookieValue('a b', 'uri')).toBe('a%20b')
    expect(decodeCookieValue('%E0%A4%A', 'uri')).toBeNull()
    expect(decodeCookieValue('Zg==', 'base64url')).toBeNull()
    expect(decodeCookieValue('_w', 'base64url')).toBeNull() // 0xff: not UTF-8
  })
})

describe('serializeCookie', () => {
  const attributes = cookieAttributes('cart', {})
  const now = 1_800_000_000

  it('writes Max-Age and the matching Expires', () => {
    const line = serializeCookie('cart', 'abc', attributes, { maxAge: 3600, now, secure: false })
    expect(line).toBe(
      `cart=abc; Max-Age=3600; Expires=${new Date((now + 3600) * 1000).toUTCString()}; Path=/; HttpOnly; SameSite=Lax`,
    )
  })

  it('writes neither Max-Age nor Expires for a browser-session cookie (null)', () => {
    expect(serializeCookie('cart', 'abc', attributes, { maxAge: null, now, secure: false })).toBe(
      'cart=abc; Path=/; HttpOnly; SameSite=Lax',
    )
  })

  it('expires the cookie at once for 0', () => {
    expect(serializeCookie('cart', '', attributes, { maxAge: 0, now, secure: false })).toBe(
      'cart=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax',
    )
  })

  it('adds Secure for https requests under "auto", always under true, never under false', () => {
    const auto = cookieAttributes('cart', { secure: 'auto' })
    expect(serializeCookie('cart', 'a', auto, { maxAge: null, now, secure: true })).toMatch(/; Secure$/)
    expect(serializeCookie('cart', 'a', auto, { maxAge: null, now, secure: false })).not.toContain('Secure')
    const always = cookieAttributes('cart', { secure: true })
    expect(serializeCookie('cart', 'a', always, { maxAge: null, now, secure: false })).toMatch(/; Secure$/)
    const never = cookieAttributes('cart', { secure: false })
    expect(serializeCookie('cart', 'a', never, { maxAge: null, now, secure: true })).not.toContain('Secure')
  })

  it('refuses a value with characters a cookie cannot hold', () => {
    for (const value of ['a b', 'a;b', 'a,b', 'a"b', 'a\\b', 'a\r\nSet-Cookie: x=y', 'é']) {
      let error: unknown
      try {
        serializeCookie('cart', value, attributes, { maxAge: null, now, secure: false })
      } catch (caught) {
        error = caught
      }
      expect(isSessionError(error, 'INVALID_VALUE'), JSON.stringify(value)).toBe(true)
      expect((error as Error).message).not.toContain(value)
    }
  })
})

describe('cookieAttributes', () => {
  function refused(name: string, options: CookieAttributeOptions): Error {
    try {
      cookieAttributes(name, options)
    } catch (error) {
      expect(isSessionError(error, 'INVALID_OPTION')).toBe(true)
      return error as Error
    }
    throw new Error(`expected ${JSON.stringify(options)} to be refused`)
  }

  it('defaults to Path=/, HttpOnly, SameSite=Lax and Secure on https', () => {
    expect(cookieAttributes('cart', {})).toEqual({ tail: '; Path=/; HttpOnly; SameSite=Lax', secure: 'auto' })
  })

  it('renders every attribute', () => {
    const { tail } = cookieAttributes('cart', {
      domain: 'example.com',
      path: '/shop',
      httpOnly: false,
      sameSite: 'strict',
      secure: true,
      partitioned: true,
      priority: 'high',
      extensions: { Flag: true, 'X-Note': 'a=b' },
    })
    expect(tail).toBe(
      '; Domain=example.com; Path=/shop; SameSite=Strict; Partitioned; Priority=High; Flag; X-Note=a=b',
    )
    expect(cookieAttributes('cart', { sameSite: false }).tail).toBe('; Path=/; HttpOnly')
  })

  it('refuses ; , CR LF and other controls in domain, path and extension values', () => {
    for (const bad of ['a;b', 'a,b', 'a\rb', 'a\nb', 'a\r\nSet-Cookie: x', 'a\u0000b', 'a\tb', 'a\u007fb']) {
      refused('cart', { domain: bad })
      refused('cart', { path: bad })
      refused('cart', { extensions: { Note: bad } })
    }
    refused('cart', { domain: '' })
    refused('cart', { path: '' })
  })

  it('refuses extension names that are not tokens', () => {
    for (const name of ['', 'a b', 'a;b', 'a=b', 'a\r\n']) refused('cart', { extensions: { [name]: true } })
    refused('cart', { extensions: { Note: 42 as never } })
  })

  it('refuses a cookie over 4096 bytes (name, "=" and value), saying how big it would be', () => {
    expect(() => assertCookieFits('cart', 'x'.repeat(4091))).not.toThrow()
    expect(() => assertCookieFits('cart', 'x'.repeat(4092))).toThrow(
      expect.objectContaining({
        code: 'TOO_LARGE',
        session: 'cart',
        message: 'session "cart": the cookie would be 4097 bytes, over the browser limit of 4096',
      }),
    )
  })

  it('refuses extensions that restate an attribute tessera writes, in any case, at registration', () => {
    const owned = [
      'Domain',
      'Path',
      'Expires',
      'Max-Age',
      'Secure',
      'HttpOnly',
      'SameSite',
      'Partitioned',
      'Priority',
    ]
    const Host = defineSession('__Host-cart', { protection: 'signed' })
    const Cart = defineSession('cart', { protection: 'signed' })
    for (const name of owned) {
      for (const spelled of [name, name.toLowerCase(), name.toUpperCase()]) {
        for (const value of ['x', true] as const) {
          const extensions = { [spelled]: value }
          const error = (() => {
            try {
              createSessionEngine({ secret: 'x'.repeat(32), sessions: [cookie(Cart, { extensions })] })
            } catch (caught) {
              return caught
            }
          })()
          expect(isSessionError(error, 'INVALID_OPTION'), `${spelled}=${value}`).toBe(true)
          expect((error as Error).message).toBe(
            `cookie "cart": extension "${spelled}" restates an attribute tessera writes; use its option instead`,
          )
          refused('cart', { extensions })
        }
      }
    }
    // The bypasses this closes: a Domain on a __Host- cookie, SameSite=None without Secure, a second Path.
    const bypasses: [typeof Host, CookieAttributeOptions][] = [
      [Host, { secure: true, extensions: { Domain: 'evil.example' } }],
      [Cart, { extensions: { SameSite: 'None' } }],
      [Host, { secure: true, extensions: { path: '/admin' } }],
    ]
    for (const [descriptor, options] of bypasses) {
      expect(() =>
        createSessionEngine({ secret: 'x'.repeat(32), sessions: [cookie(descriptor, options)] }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    }
    // Names that merely contain one of them are other attributes, and pass.
    expect(cookieAttributes('cart', { extensions: { 'X-Domain': 'a', Pathway: true } }).tail).toBe(
      '; Path=/; HttpOnly; SameSite=Lax; X-Domain=a; Pathway',
    )
  })

  it('refuses values outside the allowed sets for sameSite and priority', () => {
    refused('cart', { sameSite: 'Lax' as never })
    refused('cart', { priority: 'urgent; Domain=evil.example' as never })
  })

  it('enforces the __Secure- and __Host- prefix rules, whatever the case of the prefix', () => {
    expect(cookieAttributes('__Secure-cart', { secure: true }).secure).toBe(true)
    expect(
      cookieAttributes('__Secure-cart', { secure: true, domain: 'example.com', path: '/a' }).tail,
    ).toContain('Domain')
    expect(cookieAttributes('__Host-cart', { secure: true }).tail).toBe('; Path=/; HttpOnly; SameSite=Lax')
    for (const name of ['__Secure-cart', '__Host-cart', '__secure-cart', '__HOST-cart']) {
      refused(name, {})
      refused(name, { secure: 'auto' })
      refused(name, { secure: false })
    }
    for (const name of ['__Host-cart', '__host-cart']) {
      refused(name, { secure: true, domain: 'example.com' })
      refused(name, { secure: true, path: '/shop' })
    }
  })

  it('refuses SameSite=None and Partitioned without secure: true', () => {
    refused('cart', { sameSite: 'none' })
    refused('cart', { sameSite: 'none', secure: 'auto' })
    refused('cart', { partitioned: true })
    expect(cookieAttributes('cart', { sameSite: 'none', secure: true }).tail).toContain('SameSite=None')
  })

  it('names the cookie but never the offending value in the message', () => {
    const error = refused('cart', { domain: 'evil;secret-looking-value' })
    expect(error.message).toContain('"cart"')
    expect(error.message).not.toContain('secret-looking-value')
  })
})
