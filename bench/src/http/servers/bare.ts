import { createServer } from 'node:http'
import { body } from '../../workload'
import type { BenchServer } from './common'
import { benchServer } from './common'

/** node:http with no session: the ceiling every other row is compared with. */
export function startBare(): Promise<BenchServer> {
  const text = body(1)
  const server = createServer((_req, res) => {
    res.statusCode = 200
    res.setHeader('content-type', 'application/json')
    res.end(text)
  })
  return benchServer(server, { sessions: false })
}
