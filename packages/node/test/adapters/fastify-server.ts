import Fastify from 'fastify'
import { fastifySessions, requireSession } from '../../src/fastify'
import type { Harness, StartServer } from './sessions'

/** Serves the suite's routes with a Fastify 5 app. */
export const fastifyServer: StartServer = async (engine, routes, { trustProxy }) => {
  const app = Fastify({ trustProxy })
  await app.register(fastifySessions(engine))
  for (const [path, spec] of Object.entries(routes)) {
    const preHandler = spec.requires
      ? requireSession(spec.requires.descriptor, spec.requires.options)
      : undefined
    app.get(path, { preHandler }, async (request, reply) => {
      const query = new URL(request.url, 'http://127.0.0.1').searchParams
      if (preHandler && request.principal !== preHandler.principal(request))
        throw new Error('principal differs')
      const principal = preHandler?.principal(request)
      const result = await spec.handler({ sessions: request.sessions, query, principal })
      reply.type('application/json').send(JSON.stringify({ result }))
      await spec.after?.(request.sessions)
      return reply
    })
  }
  return start(app)
}

export async function start(app: ReturnType<typeof Fastify>): Promise<Harness> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
}
