import { describe, expect, it } from 'vitest'
import { floorRows } from '../src/lib/floor'
import type { Row } from '../src/lib/rows'

const codec = (name: string, opsPerSec: number): Row => ({
  group: 'codec',
  name,
  metric: 'ops/s',
  value: opsPerSec,
  ratio: {},
  status: 'ok',
})
const http = (name: string, ratio: Record<string, number>, cpu: number): Row => ({
  group: 'http-capacity',
  name,
  metric: 'req/s of server CPU',
  value: 1000,
  ratio,
  status: 'ok',
  extra: { 'server CPU µs/req': cpu },
})

describe('floorRows', () => {
  it("reads the best ratio as reference ÷ (reference + session work), or a measured cookie row's own, and how close tessera comes", () => {
    const rows = floorRows([
      codec('HMAC-SHA256 sign (node:crypto)', 500_000),
      codec('HMAC-SHA256 verify (node:crypto)', 500_000),
      codec('JSON.stringify (cart)', 1_000_000),
      codec('JSON.parse (cart)', 1_000_000),
      codec('tessera engine, signed read-modify-write (no HTTP)', 100_000),
      http('node:http (no sessions)', { bare: 1 }, 30),
      http('node:http + plain cookie (no crypto, no library)', { bare: 0.75 }, 40),
      http('node:http + cookie signed by hand (HMAC-SHA256, no library)', { bare: 0.5 }, 60),
      http('node:http + tessera signed', { bare: 0.6 }, 50),
    ])
    // primitives: 2 + 2 + 1 + 1 = 6 µs → 30 / 36; engine: 10 µs → 30 / 40.
    expect(rows.map((row) => [row.name, row.value, row.ratio])).toEqual([
      [
        'signed vs bare node:http, best with sign + verify + JSON encode + decode added',
        0.83,
        { 'tessera of best': 0.72 },
      ],
      ['signed vs bare node:http, best with the engine (no HTTP) added', 0.75, { 'tessera of best': 0.8 }],
      // Measured: the plain cookie row's own ratio to bare.
      [
        'signed vs bare node:http, best for any cookie session: a plain cookie, measured',
        0.75,
        { 'tessera of best': 0.8 },
      ],
      // Measured: the hand-signed cookie row's own ratio to bare (tessera's 0.6 ÷ 0.5).
      [
        'signed vs bare node:http, best for a signed cookie: one signed by hand, measured',
        0.5,
        { 'tessera of best': 1.2 },
      ],
    ])
  })

  it("measures the Redis row's floor with the row that keeps the cart in Redis by hand, and adds nothing up for it", () => {
    const rows = floorRows([
      codec('tessera engine, signed read-modify-write (no HTTP)', 100_000),
      http('node:http (no sessions)', { bare: 1 }, 30),
      http('node:http + Redis by hand (ioredis GET and SET, no library)', { bare: 0.4 }, 75),
      http('node:http + tessera stored (redis)', { bare: 0.3 }, 100),
    ])
    // The engine's work is added to the signed row's reference only (no signed row here, so no ratio).
    expect(rows.map((row) => [row.name, row.value, row.ratio])).toEqual([
      ['signed vs bare node:http, best with the engine (no HTTP) added', 0.75, {}],
      [
        'stored in Redis vs bare node:http, best for a session stored in Redis: one kept there by hand, measured',
        0.4,
        { 'tessera of best': 0.75 },
      ],
    ])
  })
})
