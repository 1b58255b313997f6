/**
 * A bounded soak: many connections log in, bump a server-stored counter and log out against a
 * node:http server with memoryStorage, for a fixed time. The server runs in its own process; its heap
 * after garbage collection at the end must stay within a stated bound of its heap after warm-up, and
 * every request must succeed.
 *
 * Default: 3 s, 10 connections (the code path, quickly). `TESSERA_HARDENING_LONG=1`: 60 s, 50 connections.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { settlesWithin } from '../storage/helpers/servers'
import { LONG } from './helpers/http'

const DURATION_MS = LONG ? 60_000 : 3_000
const WARMUP_MS = LONG ? 10_000 : 1_000
const CONNECTIONS = LONG ? 50 : 10
/** Bumps per login before logging out: a session lives for this many requests. */
const BUMPS = 20
/** The stated bound: heap at the end ≤ heap after warm-up × 1.25 + 5 MB. */
const HEAP_FACTOR = 1.25
const HEAP_SLACK = 5 * 1024 * 1024
const SERVER = fileURLToPath(new URL('./helpers/soak-server.ts', import.meta.url))

let child: ChildProcess | undefined
afterAll(() => {
  child?.kill('SIGKILL')
})

async function startServer(): Promise<string> {
  child = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=@tessera/source', '--import', 'tsx', SERVER],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const port = await settlesWithin(
    new Promise<string>((resolve, reject) => {
      let text = ''
      child!.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        const match = /port (\d+)/.exec(text)
        if (match) resolve(match[1]!)
      })
      child!.once('exit', () => reject(new Error('the soak server exited')))
    }),
    20_000,
    'the soak server',
  )
  return `http://127.0.0.1:${port}`
}

type Heap = { heapUsed: number; sessions: number; gc: boolean }
const heap = async (url: string): Promise<Heap> => (await fetch(`${url}/__heap`)).json() as Promise<Heap>
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

describe('soak: server-side sessions hold memory flat', () => {
  it(`${CONNECTIONS} connections for ${DURATION_MS / 1000} s: every request succeeds, heap after GC within ×${HEAP_FACTOR} + 5 MB of warm-up`, {
    timeout: DURATION_MS + 60_000,
  }, async () => {
    const url = await startServer()
    const counts = { requests: 0, failed: 0, logins: 0 }
    let warm: Heap | undefined
    const start = Date.now()
    const deadline = start + DURATION_MS

    const post = async (path: string, cookie?: string) => {
      const response = await settlesWithin(
        fetch(url + path, { method: 'POST', headers: cookie ? { cookie } : {} }),
        10_000,
        `POST ${path}`,
      )
      await response.arrayBuffer()
      counts.requests++
      if (response.status !== 200) counts.failed++
      return response
    }
    const worker = async () => {
      while (Date.now() < deadline) {
        const login = await post('/login')
        counts.logins++
        const cookie = login.headers.getSetCookie()[0]?.split(';', 1)[0]
        for (let i = 0; i < BUMPS && Date.now() < deadline; i++) await post('/bump', cookie)
        await post('/logout', cookie)
      }
    }
    const warmup = (async () => {
      await new Promise((resolve) => setTimeout(resolve, WARMUP_MS))
      warm = await heap(url)
    })()
    await Promise.all([...Array.from({ length: CONNECTIONS }, worker), warmup])
    const end = await heap(url)
    const figures = {
      seconds: (Date.now() - start) / 1000,
      connections: CONNECTIONS,
      requests: counts.requests,
      requestsPerSecond: Math.round(counts.requests / (DURATION_MS / 1000)),
      logins: counts.logins,
      failed: counts.failed,
      heapAfterWarmupMB: mb(warm!.heapUsed),
      heapAtEndMB: mb(end.heapUsed),
      boundMB: mb(warm!.heapUsed * HEAP_FACTOR + HEAP_SLACK),
      sessionsStoredAtEnd: end.sessions,
    }
    console.log(`[hardening] soak:\n${JSON.stringify(figures, null, 1)}`)
    expect(end.gc).toBe(true)
    expect(counts.failed).toBe(0)
    expect(counts.logins).toBeGreaterThan(CONNECTIONS)
    // Every worker logged out: nothing is left in the storage.
    expect(end.sessions).toBe(0)
    expect(end.heapUsed).toBeLessThanOrEqual(warm!.heapUsed * HEAP_FACTOR + HEAP_SLACK)
  })
})
