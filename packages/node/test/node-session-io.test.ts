import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { cookie, createSessions } from '../src'
import { forwardedHttps } from '../src/forwarded-proto'
import { NodeSessionIO } from '../src/http/with-sessions'
import { Cart, SECRET } from './adapters/sessions'

const engine = createSessions({ secret: SECRET, sessions: [cookie(Cart)] })

function io(socket: object, headers: Record<string, string | string[]>, trustProxy: boolean) {
  const req = { socket, headers } as unknown as IncomingMessage
  return new NodeSessionIO(req, {} as ServerResponse, engine, trustProxy)
}

describe('NodeSessionIO', () => {
  it('sees https on a TLS socket, whatever the headers say', () => {
    expect(io({ encrypted: true }, {}, false).isSecure()).toBe(true)
    expect(io({}, {}, false).isSecure()).toBe(false)
  })

  it('believes X-Forwarded-Proto only when trusted, and only its first (client-facing) entry', () => {
    expect(io({}, { 'x-forwarded-proto': 'https' }, false).isSecure()).toBe(false)
    expect(io({}, { 'x-forwarded-proto': 'https' }, true).isSecure()).toBe(true)
    expect(forwardedHttps('HTTPS')).toBe(true)
    expect(forwardedHttps(' https , http')).toBe(true)
    expect(forwardedHttps('http, https')).toBe(false)
    expect(forwardedHttps('httpsx')).toBe(false)
    expect(forwardedHttps(['https'])).toBe(false)
    expect(forwardedHttps(undefined)).toBe(false)
  })

  it('reads request headers by lowercase name, and only single values', () => {
    const reader = io({}, { cookie: 'a=1; b=2', 'set-cookie': ['x=1'] }, false)
    expect(reader.requestHeader('cookie')).toBe('a=1; b=2')
    expect(reader.requestHeader('set-cookie')).toBeUndefined()
    expect(reader.requestHeader('missing')).toBeUndefined()
  })
})
