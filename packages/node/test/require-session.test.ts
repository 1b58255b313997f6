import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import type { AnySessionDescriptor } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { defineSession, isSessionError } from '../src'
import { requireSession as expressGuard } from '../src/express'
import { requireSession as fastifyGuard } from '../src/fastify'
import { requireSession as fetchGuard } from '../src/fetch'
import { requireSession as httpGuard } from '../src/http'

/** Each adapter's guard, made for a descriptor and run on a request that went through no adapter. */
const adapters: Record<
  string,
  { make: (d: AnySessionDescriptor) => unknown; run: (guard: any) => Promise<unknown> }
> = {
  'node:http': {
    make: (d) => httpGuard(d),
    run: (guard) =>
      guard(new IncomingMessage(new Socket()), new ServerResponse(new IncomingMessage(new Socket()))),
  },
  express: {
    make: (d) => expressGuard(d),
    run: (guard) =>
      new Promise((resolve, reject) => {
        const req = new IncomingMessage(new Socket())
        guard(req, new ServerResponse(req), (error?: unknown) => (error ? reject(error) : resolve('next')))
      }),
  },
  fastify: {
    make: (d) => fastifyGuard(d),
    run: (guard) => guard({ sessions: null }, {}),
  },
  fetch: {
    make: (d) => fetchGuard(d),
    run: (guard) => guard(new Request('http://127.0.0.1/')),
  },
}

const refusal = (call: () => unknown) => {
  try {
    call()
  } catch (error) {
    return error
  }
  return undefined
}

describe('requireSession, in every adapter', () => {
  const Prefs = defineSession('prefs', { visibility: 'client', protection: 'none' })
  const Stored = defineSession('stored', { storage: 'server', protection: 'none' })
  const guarded = [
    defineSession('signed', { protection: 'signed' }),
    defineSession('sealed'),
    defineSession('cart', { visibility: 'client' }),
    defineSession('login', { storage: 'server' }),
  ]

  for (const [name, adapter] of Object.entries(adapters)) {
    it(`${name}: refuses a none session when made, since anyone can forge its token (#13, 15)`, () => {
      for (const descriptor of [Prefs, Stored]) {
        const error = refusal(() => adapter.make(descriptor))
        expect(isSessionError(error, 'INVALID_OPTION'), descriptor.name).toBe(true)
        expect((error as Error).message).toBe(
          `requireSession: session "${descriptor.name}" has protection "none", so anyone can write its token and a forged one would pass; guard with a signed, sealed or ed25519 session`,
        )
      }
      for (const descriptor of guarded)
        expect(typeof adapter.make(descriptor), descriptor.name).toBe('function')
    })

    it(`${name}: a request without sessions is INVALID_OPERATION, saying how to install them`, async () => {
      const error = await adapter.run(adapter.make(guarded[0]!)).catch((caught: unknown) => caught)
      expect(isSessionError(error, 'INVALID_OPERATION')).toBe(true)
      expect((error as Error).message).toMatch(
        /^requireSession of session "signed": the request has no sessions; /,
      )
    })
  }

  it('names the adapter to install in each message', async () => {
    const messages: Record<string, string> = {}
    for (const [name, adapter] of Object.entries(adapters)) {
      const error = await adapter.run(adapter.make(guarded[0]!)).catch((caught: unknown) => caught)
      messages[name] = (error as Error).message.split('; ')[1]!
    }
    expect(messages).toEqual({
      'node:http': 'wrap the handler with withSessions',
      express: 'install expressSessions before requireSession',
      fastify: 'register fastifySessions in its scope',
      fetch: 'wrap the handler with withSessions',
    })
  })
})
