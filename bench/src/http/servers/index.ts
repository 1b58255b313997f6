import type { BenchServer } from './common'

/**
 * Every HTTP row's server by row id. Each entry imports its module on demand, so a row whose
 * package is not there yet fails alone (and reads "pending") without taking the others down.
 */
export const SERVERS: Readonly<Record<string, () => Promise<BenchServer>>> = {
  bare: () => import('./bare').then((m) => m.startBare()),
  'plain-cookie': () => import('./bare').then((m) => m.startPlainCookie()),
  'signed-cookie': () => import('./bare').then((m) => m.startSignedCookie()),
  'redis-by-hand': () => import('./bare').then((m) => m.startRedisByHand()),
  express: () => import('./frameworks').then((m) => m.startExpress()),
  fastify: () => import('./frameworks').then((m) => m.startFastify()),
  'iron-session': () => import('./peers').then((m) => m.startIronSession()),
  'cookie-session': () => import('./peers').then((m) => m.startCookieSession()),
  'express-session': () => import('./peers').then((m) => m.startExpressSession()),
  'fastify-secure-session': () => import('./peers').then((m) => m.startSecureSession()),
  'tessera-signed': () => import('./tessera').then((m) => m.startTesseraHttp('signed')),
  'tessera-sealed': () => import('./tessera').then((m) => m.startTesseraHttp('sealed')),
  'tessera-ed25519': () => import('./tessera').then((m) => m.startTesseraHttp('ed25519')),
  'tessera-stored-memory': () => import('./tessera').then((m) => m.startTesseraHttp('stored-memory')),
  'tessera-stored-redis': () => import('./tessera').then((m) => m.startTesseraHttp('stored-redis')),
  'tessera-read-only': () => import('./tessera').then((m) => m.startTesseraHttp('read-only')),
  'tessera-date-map': () => import('./tessera').then((m) => m.startTesseraHttp('date-map')),
  'express-tessera': () => import('./tessera').then((m) => m.startTesseraExpress()),
  'fastify-tessera': () => import('./tessera').then((m) => m.startTesseraFastify()),
}
