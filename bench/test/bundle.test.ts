import { describe, expect, it } from 'vitest'
import { parseSizes } from '../src/groups/bundle'

const TABLE = `app                                    initial (min+gz)      all but tweetnacl (min+gz)  of which superjson  budget                                     ok
-------------------------------------  --------------------  --------------------------  ------------------  -----------------------------------------  --
(a) json codec, read one session       2.31 KB in 1 file(s)  10.86 KB in 4 file(s)       0 B                 initial <= 2.50 KB, tweetnacl not initial  yes
(b) superjson codec, read one session  6.81 KB in 3 file(s)  7.20 KB in 4 file(s)        5.33 KB             all <= 7.00 KB, tweetnacl not initial      NO

over budget: (b) all <= 7.00 KB
`

describe('parseSizes', () => {
  it('reads the size table: one size per app and column, KB as 1000 B, budgets on their column', () => {
    const sizes = parseSizes(TABLE)
    expect(sizes).toContainEqual({
      name: '(a) json codec, read one session: initial (min+gz)',
      bytes: 2310,
      limit: 2500,
    })
    expect(sizes).toContainEqual({
      name: '(b) superjson codec, read one session: all but tweetnacl (min+gz)',
      bytes: 7200,
      limit: 7000,
    })
    expect(sizes).toContainEqual({
      name: '(a) json codec, read one session: of which superjson',
      bytes: 0,
      limit: undefined,
    })
    expect(
      sizes.find((size) => size.name.includes('(b)') && size.name.endsWith('initial (min+gz)'))?.limit,
    ).toBeUndefined()
    expect(sizes).toHaveLength(6)
  })

  it('reads JSON output as well', () => {
    expect(parseSizes('{"sizes":[{"name":"core","bytes":2048,"limit":2500}]}')).toEqual([
      { name: 'core', bytes: 2048, limit: 2500 },
    ])
    expect(parseSizes('{"core": 2048, "label": "x"}')).toEqual([{ name: 'core', bytes: 2048 }])
  })

  it('finds nothing in output without sizes', () => {
    expect(parseSizes('error: something broke\n')).toEqual([])
  })
})
