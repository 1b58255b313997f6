import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/*
 * Where a tessera server child takes tessera from. By default, this checkout's workspace packages as
 * built (`@tessera/node`'s `dist`). With `BENCH_TESSERA_DIR` set to another checkout of the
 * repository (`pnpm bench --baseline <dir>`), every tessera import of the child comes from that
 * checkout's build instead, and its own `@tessera/core` from that checkout's install: the same
 * server code measures the older packages.
 */

type NodeEntry = typeof import('@tessera/node')
type HttpEntry = typeof import('@tessera/node/http')
type ExpressEntry = typeof import('@tessera/node/express')
type FastifyEntry = typeof import('@tessera/node/fastify')
type RedisEntry = typeof import('@tessera/node/redis')

/** The checkout the child measures, when it is not this one. */
export const TESSERA_DIR = process.env.BENCH_TESSERA_DIR

/** One entry of `@tessera/node`: `''` for the root, `'http'`, `'express'`... */
function fromCheckout<T>(dir: string, entry: string): Promise<T> {
  const file = join(dir, 'packages', 'node', 'dist', entry === '' ? 'index.js' : join(entry, 'index.js'))
  return import(pathToFileURL(file).href) as Promise<T>
}

export function nodeEntry(): Promise<NodeEntry> {
  return TESSERA_DIR ? fromCheckout(TESSERA_DIR, '') : import('@tessera/node')
}
export function httpEntry(): Promise<HttpEntry> {
  return TESSERA_DIR ? fromCheckout(TESSERA_DIR, 'http') : import('@tessera/node/http')
}
export function expressEntry(): Promise<ExpressEntry> {
  return TESSERA_DIR ? fromCheckout(TESSERA_DIR, 'express') : import('@tessera/node/express')
}
export function fastifyEntry(): Promise<FastifyEntry> {
  return TESSERA_DIR ? fromCheckout(TESSERA_DIR, 'fastify') : import('@tessera/node/fastify')
}
export function redisEntry(): Promise<RedisEntry> {
  return TESSERA_DIR ? fromCheckout(TESSERA_DIR, 'redis') : import('@tessera/node/redis')
}
