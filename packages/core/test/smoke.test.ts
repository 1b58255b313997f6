import { describe, expect, it } from 'vitest'
import { cookie, createSessionEngine, defineSession, type SessionIO } from '../src'

function fakeIO(cookieHeader?: string) {
  const out: string[] = []
  const io: SessionIO = {
    requestHeader: (n) => (n === 'cookie' ? cookieHeader : undefined),
    appendHeader: (n, v) => out.push(`${n}: ${v}`),
    setHeader: (n, v) => out.push(`${n}= ${v}`),
    headersSent: () => false,
    isSecure: () => false,
  }
  return { io, out }
}

describe('smoke', () => {
  for (const protection of ['signed', 'sealed', 'ed25519', 'none'] as const) {
    it(`round trips ${protection}`, async () => {
      const S = defineSession<{ a: number; d?: Date }>()('s', {
        protection,
        visibility: protection === 'ed25519' || protection === 'none' ? 'client' : 'server',
      })
      const engine = createSessionEngine({ secret: 'x'.repeat(32), sessions: [cookie(S)] })
      const a = fakeIO()
      const s1 = engine.open(a.io)
      await s1.set(S, { a: 1, d: new Date(5) })
      s1.commit()
      const token = a.out[0]!.split(';')[0]!.slice('set-cookie: '.length)
      console.log(protection, a.out[0])
      const b = fakeIO(token)
      const s2 = engine.open(b.io)
      expect(await s2.get(S)).toEqual({ a: 1, d: new Date(5) })
    })
  }
})
