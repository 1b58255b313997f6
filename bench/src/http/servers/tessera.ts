import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AnySessionDescriptor, RequestSessions, SessionStorage } from '@tessera/node'
import express from 'express'
import fastify from 'fastify'
import { connectBenchRedis } from '../../lib/redis'
import type { Cart, RichCart } from '../../workload'
import { BENCH_SECRET, body, bump, bumpRich, newCart, READ_PATH, RMW_PATH } from '../../workload'
import type { BenchServer } from './common'
import { benchServer } from './common'
import { fastifyServer } from './frameworks'
import { expressEntry, fastifyEntry, httpEntry, nodeEntry, redisEntry } from './tessera-packages'

/*
 * Every tessera value comes through ./tessera-packages (this checkout's packages, or an older
 * checkout's for `--baseline`), so one server module measures both.
 */
const { cookie, createSessions, defineSession, memoryStorage } = await nodeEntry()

/** The node:http rows of tessera; each names what its cookie carries. */
export type TesseraVariant =
  | 'signed'
  | 'sealed'
  | 'ed25519'
  | 'stored-memory'
  | 'stored-redis'
  | 'read-only'
  | 'date-map'

const PlainSigned = defineSession<Cart>()('cart', { protection: 'signed' })
const Sealed = defineSession<Cart>()('cart', { protection: 'sealed' })
const Ed25519 = defineSession<Cart>()('cart', { protection: 'ed25519' })
const Stored = defineSession<Cart>()('cart', { storage: 'server' })
const RichSigned = defineSession<RichCart>()('cart', { protection: 'signed' })

/** The request's work: read-modify-write on RMW_PATH, a pure read on READ_PATH. */
async function work(
  sessions: RequestSessions,
  url: string | undefined,
  descriptor: AnySessionDescriptor,
): Promise<number> {
  if (url === READ_PATH) {
    const cart = (await sessions.get(descriptor)) as { count: number } | null
    return cart?.count ?? 0
  }
  if (descriptor === RichSigned) {
    const cart = bumpRich(await sessions.get(RichSigned))
    await sessions.set(RichSigned, cart)
    return cart.count
  }
  const cart = bump((await sessions.get(descriptor)) as Cart | null, newCart)
  await sessions.set(descriptor, cart)
  return cart.count
}

/** A Redis storage with a key prefix of its own, and the cleanup that deletes its keys. */
async function redisStorageForBench(): Promise<{ storage: SessionStorage; cleanup: () => Promise<void> }> {
  const [{ client, prefix, close }, { redisStorage }] = await Promise.all([
    connectBenchRedis('rows'),
    redisEntry(),
  ])
  return { storage: redisStorage(client, { prefix }), cleanup: close }
}

/** The descriptor, the registration and any cleanup of one variant. */
async function setup(variant: TesseraVariant) {
  switch (variant) {
    case 'signed':
    case 'read-only':
      return { descriptor: PlainSigned, config: cookie(PlainSigned) }
    case 'sealed':
      return { descriptor: Sealed, config: cookie(Sealed) }
    case 'ed25519':
      return { descriptor: Ed25519, config: cookie(Ed25519) }
    case 'date-map':
      return { descriptor: RichSigned, config: cookie(RichSigned) }
    case 'stored-memory':
      return { descriptor: Stored, config: cookie(Stored, { storage: memoryStorage() }) }
    case 'stored-redis': {
      const { storage, cleanup } = await redisStorageForBench()
      return { descriptor: Stored, config: cookie(Stored, { storage }), cleanup }
    }
  }
}

/** node:http + tessera (`withSessions`): the workload on a cookie session of one variant. */
export async function startTesseraHttp(variant: TesseraVariant): Promise<BenchServer> {
  const [{ withSessions }, { descriptor, config, cleanup }] = await Promise.all([httpEntry(), setup(variant)])
  const sessions = createSessions({ secret: BENCH_SECRET, sessions: [config] })
  const handler = withSessions(sessions, async (req, res: ServerResponse) => {
    const count = await work(req.sessions, req.url, descriptor)
    res.statusCode = 200
    res.setHeader('content-type', 'application/json')
    res.end(body(count))
  })
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handler(req, res)
  })
  return benchServer(server, { sessions: true, readPath: variant === 'read-only' }, cleanup)
}

/** Express 5 + tessera (`expressSessions`), signed: the adapter row, judged against Express alone. */
export async function startTesseraExpress(): Promise<BenchServer> {
  const { expressSessions } = await expressEntry()
  const sessions = createSessions({ secret: BENCH_SECRET, sessions: [cookie(PlainSigned)] })
  const app = express()
  app.use(expressSessions(sessions))
  app.get(RMW_PATH, async (req, res) => {
    res.json({ count: await work(req.sessions, RMW_PATH, PlainSigned) })
  })
  app.get(READ_PATH, async (req, res) => {
    res.json({ count: await work(req.sessions, READ_PATH, PlainSigned) })
  })
  return benchServer(createServer(app), { sessions: true, readPath: true })
}

/** Fastify 5 + tessera (`fastifySessions`), signed: the adapter row, judged against Fastify alone. */
export async function startTesseraFastify(): Promise<BenchServer> {
  const { fastifySessions } = await fastifyEntry()
  const sessions = createSessions({ secret: BENCH_SECRET, sessions: [cookie(PlainSigned)] })
  const app = fastify({ logger: false })
  await app.register(fastifySessions(sessions))
  app.get(RMW_PATH, async (request) => ({ count: await work(request.sessions, RMW_PATH, PlainSigned) }))
  app.get(READ_PATH, async (request) => ({ count: await work(request.sessions, READ_PATH, PlainSigned) }))
  await app.listen({ port: 0, host: '127.0.0.1' })
  return fastifyServer(app, { sessions: true, readPath: true })
}
