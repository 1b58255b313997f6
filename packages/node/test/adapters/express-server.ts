import { createServer } from 'node:http'
import type express from 'express'
import { expressSessions, requireSession, sessionErrorHandler } from '../../src/express'
import { listen } from './listen'
import type { StartServer } from './sessions'

/** Serves the suite's routes with an Express app (4 or 5: the module is given). */
export function expressServer(createApp: typeof express): StartServer {
  return async (engine, routes, { trustProxy }) => {
    const app = createApp()
    if (trustProxy) app.set('trust proxy', true)
    app.use(expressSessions(engine))
    for (const [path, spec] of Object.entries(routes)) {
      const guard = spec.requires && requireSession(spec.requires.descriptor, spec.requires.options)
      app.get(path, ...(guard ? [guard] : []), (req, res, next) => {
        const query = new URL(req.url, 'http://127.0.0.1').searchParams
        if (guard && req.principal !== guard.principal(req)) throw new Error('req.principal differs')
        spec
          .handler({ sessions: req.sessions, query, principal: guard?.principal(req) })
          .then(async (result) => {
            res.json({ result })
            await spec.after?.(req.sessions)
          })
          .catch(next)
      })
    }
    app.use(sessionErrorHandler())
    return listen(createServer(app))
  }
}
