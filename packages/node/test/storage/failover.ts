import { describe, expect, it } from 'vitest'
import { cookie, createSessions, defineSession } from '../../src'
import { redisStorage } from '../../src/redis'
import { type Reply, send, startApp } from './helpers/http-app'
import type { TestRedisClient } from './helpers/redis-clients'
import { clusterNodes, keySlot, killNode, masterOfSlot, restartNode, roleOf } from './helpers/redis-cluster'
import { settlesWithin, sleep } from './helpers/servers'

const Counter = defineSession<{ count: number }>()('counter', { storage: 'server' })

/** Sessions under load, one worker each (one session is never written by two requests at once). */
const SESSIONS = 30
/** The bounds of the load: per worker, requests and the whole run's time. */
const MAX_REQUESTS_PER_WORKER = 6000
const MAX_LOAD_MS = 120_000
/**
 * How long after the failover (the promotion, or the killed node's return) every session must have
 * answered again. Counted from then, not from the start: on a loaded two-core machine the killed
 * node's resync alone has taken most of a fixed 40 s window.
 */
const RECOVERY_MS = 30_000
/** Load before the kill, and after the first moment every session answered again. */
const BEFORE_KILL_MS = 1500
const AFTER_RECOVERY_MS = 1500
/** With a client that does not follow a promotion, how long the test watches it fail before restarting the node. */
const STILL_FAILING_MS = 2000
/**
 * The storage's command timeout: a request on a dead node gets 503 within this. Well above any
 * request's latency on a loaded two-core test machine (p99 under 600 ms), so a 503 means Redis could
 * not answer, never that the machine was slow.
 */
const STORAGE_TIMEOUT_MS = 2000

/** One request of the load. */
interface Sample {
  readonly session: number
  readonly started: number
  readonly ended: number
  readonly status: number
  readonly error: string | undefined
  readonly count: number | undefined
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

/** Increments answered 503 that were applied all the same (the next 200 skips a count). */
function appliedDespiteFailure(samples: Sample[]): number {
  let applied = 0
  let last: number | undefined
  for (const sample of samples) {
    if (sample.status !== 200 || sample.count === undefined) continue
    if (last !== undefined && sample.count > last + 1) applied += sample.count - last - 1
    last = sample.count
  }
  return applied
}

/**
 * Acknowledged increments a session lost: its worker increments one at a time, so each 200 answers
 * one more than the one before, or more when a request answered 503 was applied all the same. An
 * answer at or below the one before means acknowledged increments were lost (the new master never
 * had them); returns them as the counts lost, with the time their acknowledgement arrived.
 */
function lostWrites(samples: Sample[]): { count: number; acknowledged: number }[] {
  const lost: { count: number; acknowledged: number }[] = []
  const acknowledged = new Map<number, number>() // count -> when its 200 arrived
  let last = 0
  for (const sample of samples) {
    if (sample.status !== 200 || sample.count === undefined) continue
    if (sample.count <= last) {
      for (let count = sample.count; count <= last; count++) {
        const at = acknowledged.get(count)
        if (at !== undefined) lost.push({ count, acknowledged: at }) // else: answered 503, never acknowledged
      }
    }
    acknowledged.set(sample.count, sample.ended)
    last = sample.count
  }
  return lost
}

/**
 * A master of the cluster is killed (SIGKILL) while 30 sessions are incremented through the node:http
 * adapter. Measured and checked: the replica is promoted; requests get 503 STORAGE_UNAVAILABLE only
 * between the kill and the moment the client follows the new master; every acknowledged increment
 * survives except, at most, those the dead master acknowledged before it died and had not yet
 * replicated (Redis replicates asynchronously); the app recovers without a restart. node-redis 5
 * learns a new master only from a MOVED reply, which a dead node never sends: with it, the dead
 * master's sessions fail until the killed node is back (checked too, so docs/scaling.md stays true).
 * The killed node is started again and rejoins as a replica, so the cluster has six nodes for what follows.
 */
export function describeFailover(
  library: string,
  connect: () => Promise<TestRedisClient>,
  prefix: string,
  /** Whether the client finds the promoted replica by itself (ioredis) or not (node-redis 5). */
  followsPromotion: boolean,
): void {
  describe(`redisStorage on a cluster (${library}): a master killed under load`, () => {
    let killed: number | undefined
    const title = followsPromotion
      ? '503 only until the client follows the promoted replica, acknowledged writes kept (but for the replication lag), no app restart'
      : "503 for the dead master's sessions until the killed node is back, acknowledged writes kept, no app restart"
    it(title, {
      timeout: MAX_LOAD_MS + 60_000,
    }, async () => {
      const { client } = await connect()
      const storage = redisStorage(client, { prefix, timeout: STORAGE_TIMEOUT_MS })
      const engine = createSessions({
        secret: 'failover-test-secret-of-32-bytes!!!',
        sessions: [cookie(Counter, { storage })],
      })
      const app = await startApp(engine, {
        'POST /counter/increment': async (sessions) => {
          const value = await sessions.update(Counter, (c) => ({ count: (c?.count ?? 0) + 1 }))
          return { count: value?.count, id: await sessions.id(Counter) }
        },
        'GET /counter': (sessions) => sessions.get(Counter),
      })
      const bounded = (method: string, path: string, cookieHeader?: string): Promise<Reply> =>
        settlesWithin(send(app, method, path, cookieHeader), 10_000, `${method} ${path}`)
      let victim: number | undefined
      let stillFailing: Sample[] = []
      let stopAt = Date.now() + MAX_LOAD_MS
      let load: Promise<unknown> = Promise.resolve()
      try {
        // Sessions, and the master each one lives on.
        const first = await Promise.all(
          Array.from({ length: SESSIONS }, () => bounded('POST', '/counter/increment')),
        )
        expect(first.map((reply) => reply.status)).toEqual(first.map(() => 200))
        const masters = await Promise.all(
          first.map(async (reply) => masterOfSlot(await keySlot(`${prefix}${reply.body.id}`))),
        )
        const perMaster = new Map<number, number>()
        for (const port of masters) perMaster.set(port, (perMaster.get(port) ?? 0) + 1)
        victim = [...perMaster].sort((a, b) => b[1] - a[1])[0]![0]
        const nodes = await clusterNodes(victim)
        const victimId = nodes.find((node) => node.port === victim)!.id
        const replica = nodes.find((node) => node.masterId === victimId)!.port
        const onVictim = masters.map((port) => port === victim)

        // The load: one worker per session, each request after the previous one answered.
        const samples: Sample[] = []
        const start = Date.now()
        const hardStop = start + MAX_LOAD_MS
        stopAt = hardStop
        const worker = async (session: number) => {
          for (let i = 0; i < MAX_REQUESTS_PER_WORKER && Date.now() < Math.min(stopAt, hardStop); i++) {
            const started = Date.now()
            const reply = await bounded('POST', '/counter/increment', first[session]!.cookie)
            samples.push({
              session,
              started,
              ended: Date.now(),
              status: reply.status,
              error: reply.body?.error,
              count: reply.status === 200 ? reply.body.count : undefined,
            })
            if (reply.status !== 200) await sleep(25) // no busy loop while the node is down
          }
        }
        load = Promise.all(first.map((_, session) => worker(session)))

        await sleep(BEFORE_KILL_MS)
        const killedAt = Date.now()
        await killNode(victim)
        // The replica takes over: polled every 50 ms, bounded.
        let promotedAt: number | undefined
        while (promotedAt === undefined && Date.now() < killedAt + 30_000) {
          if ((await roleOf(replica)) === 'master') promotedAt = Date.now()
          else await sleep(50)
        }
        expect(promotedAt, 'the replica was promoted').toBeDefined()
        // A client that learns the new master only from a MOVED reply (node-redis) keeps failing the
        // dead master's sessions; they come back once the killed node answers again, as a replica.
        let restartedAt: number | undefined
        if (!followsPromotion) {
          await sleep(STILL_FAILING_MS)
          stillFailing = samples.filter((s) => s.started >= promotedAt! && onVictim[s.session])
          await restartNode(victim)
          restartedAt = Date.now()
        }
        const since = restartedAt ?? promotedAt!
        // Recovered: every session has answered 200 to a request it sent after that.
        let recoveredAt: number | undefined
        const recoveryDeadline = Math.min(since + RECOVERY_MS, hardStop)
        while (recoveredAt === undefined && Date.now() < recoveryDeadline) {
          const answered = new Set(
            samples.filter((s) => s.status === 200 && s.started >= since).map((s) => s.session),
          )
          if (answered.size === SESSIONS) recoveredAt = Date.now()
          else await sleep(50)
        }
        expect(recoveredAt, 'every session answered again').toBeDefined()
        stopAt = recoveredAt! + AFTER_RECOVERY_MS
        await load

        // Only 200s and 503 STORAGE_UNAVAILABLE, and the 503s only while the failover happened.
        const failed = samples.filter((s) => s.status !== 200)
        expect(new Set(failed.map((s) => `${s.status} ${s.error}`))).toEqual(
          new Set(failed.length > 0 ? ['503 STORAGE_UNAVAILABLE'] : []),
        )
        expect(failed.every((s) => s.ended >= killedAt)).toBe(true)
        const lastFailureStarted = Math.max(killedAt, ...failed.map((s) => s.started))
        expect(lastFailureStarted).toBeLessThanOrEqual(recoveredAt!)
        // After recovery, each session's last answer was a 200, and the store holds what it answered.
        for (let session = 0; session < SESSIONS; session++) {
          const mine = samples.filter((s) => s.session === session)
          expect(mine.at(-1)?.status, `session ${session}'s last request`).toBe(200)
          const stored = await bounded('GET', '/counter', first[session]!.cookie)
          expect(stored.body).toEqual({ count: mine.at(-1)!.count })
        }
        if (!followsPromotion) {
          expect(stillFailing.length).toBeGreaterThan(0)
          expect(stillFailing.every((s) => s.status === 503)).toBe(true)
        }
        // Lost acknowledged writes: only on the dead master's sessions, only ones it acknowledged
        // before it died (the asynchronous replication window).
        const lost = first.flatMap((_, session) =>
          lostWrites(samples.filter((s) => s.session === session)).map((w) => ({ session, ...w })),
        )
        expect(lost.every((w) => onVictim[w.session])).toBe(true)
        expect(lost.every((w) => w.acknowledged <= killedAt)).toBe(true)

        const ok = samples.filter((s) => s.status === 200 && (s.ended < killedAt || s.started > recoveredAt!))
        const figures = {
          requests: samples.length,
          answered200: samples.length - failed.length,
          answered503: failed.length,
          answered503OnOtherMasters: failed.filter((s) => !onVictim[s.session]).length,
          sessionsOnKilledMaster: onVictim.filter(Boolean).length,
          promotedMsAfterKill: promotedAt! - killedAt,
          restartedMsAfterKill: restartedAt === undefined ? null : restartedAt - killedAt,
          deadMasterSessionsAnswered503AfterPromotion: stillFailing.length,
          recoveredMsAfterKill: recoveredAt! - killedAt,
          first503MsAfterKill: failed.length > 0 ? Math.min(...failed.map((s) => s.ended)) - killedAt : null,
          last503StartedMsAfterKill: lastFailureStarted - killedAt,
          lostAcknowledgedWrites: lost.length,
          answered503ButApplied: first.reduce(
            (sum, _, session) => sum + appliedDespiteFailure(samples.filter((s) => s.session === session)),
            0,
          ),
          latencyMsOutsideFailover: {
            p50: percentile(
              ok.map((s) => s.ended - s.started),
              50,
            ),
            p99: percentile(
              ok.map((s) => s.ended - s.started),
              99,
            ),
          },
          loadMs: Date.now() - start,
        }
        console.log(`[failover ${library}] ${JSON.stringify(figures)}`)
      } finally {
        stopAt = 0 // a failed check above stops the load too
        await load.catch(() => {})
        await app.close()
        // Six nodes again for whatever runs next: the killed node rejoins, as a replica once the
        // failover is through (the next test checks it).
        if (victim !== undefined) {
          killed = victim
          if ((await roleOf(victim)) === undefined) await restartNode(victim)
        }
      }
    })

    it('the killed node is back, as a replica of the master that took over', async () => {
      if (killed === undefined) throw new Error('no node was killed')
      let role = await roleOf(killed)
      for (let i = 0; i < 100 && role !== 'slave'; i++) {
        await sleep(100)
        role = await roleOf(killed)
      }
      expect(role).toBe('slave')
    })
  })
}
