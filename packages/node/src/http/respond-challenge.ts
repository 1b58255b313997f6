import type { ServerResponse } from 'node:http'
import type { Challenge } from '../auth/session-auth'
import { sendJson } from './node-session-io'

/** Sends a `requireSession` challenge on a node:http response: 401 with JSON, or a 302 redirect. */
export function respondChallenge(res: ServerResponse, challenge: Challenge): void {
  if (challenge.location === undefined) {
    sendJson(res, challenge.status, challenge.body)
    return
  }
  res.statusCode = challenge.status
  res.setHeader('location', challenge.location)
  res.setHeader('content-length', 0)
  res.end()
}
