import type { Server } from 'node:http'
import { createServer } from 'node:http'
import express from 'express'
import fastify from 'fastify'
import { RMW_PATH } from '../../workload'
import type { BenchServer } from './common'
import { benchServer } from './common'

/** Express 5 without sessions: the reference of the Express adapter row. */
export function startExpress(): Promise<BenchServer> {
  const app = express()
  app.get(RMW_PATH, (_req, res) => {
    res.json({ count: 1 })
  })
  return benchServer(createServer(app), { sessions: false })
}

/** Fastify 5 without sessions: the reference of the Fastify adapter row. */
export async function startFastify(): Promise<BenchServer> {
  const app = fastify({ logger: false })
  app.get(RMW_PATH, async () => ({ count: 1 }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  return fastifyServer(app, { sessions: false })
}

/** Wraps a listening Fastify instance into a {@link BenchServer}. */
export function fastifyServer(
  app: { readonly server: Server; close(): PromiseLike<unknown> },
  flags: { sessions: boolean; readPath?: boolean },
): BenchServer {
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('fastify is not listening on a port')
  return {
    port: address.port,
    sessions: flags.sessions,
    readPath: flags.readPath ?? false,
    async close() {
      await app.close()
    },
  }
}
