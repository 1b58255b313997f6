import { describe, expect, it } from 'vitest'

// Every source file of core, as text: core runs in browsers and edge runtimes, so it must not lean on
// Node or the DOM. (The edge project still has Node's globals around, so this is checked on the text.)
const sources = import.meta.glob<string>('../src/**/*.ts', { query: '?raw', import: 'default', eager: true })

/** What to look for, with a line each pattern must catch (so a broken pattern fails too). */
const forbidden: [string, RegExp, string][] = [
  ['a node: import', /from ['"]node:|import\(['"]node:/, "import { x } from 'node:crypto'"],
  [
    'a Node builtin import',
    /from ['"](fs|path|crypto|buffer|util|stream|http|https|os)['"]/,
    "import fs from 'fs'",
  ],
  ['Buffer', /\bBuffer\./, "Buffer.from('x')"],
  ['process', /\bprocess\./, 'process.env.X'],
  ['require', /\brequire\(/, "require('x')"],
  ['__dirname', /__dirname|__filename/, 'join(__dirname)'],
  ['window or document', /\b(window|document|localStorage)\./, 'document.cookie'],
]

describe('core portability', () => {
  it('reads every source file', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20)
  })

  for (const [label, pattern, sample] of forbidden) {
    it(`no source file uses ${label}`, () => {
      expect(pattern.test(sample)).toBe(true)
      const offenders = Object.entries(sources).filter(([, text]) =>
        pattern.test(text.replace(/^\s*(\/\/|\*).*$/gm, '')),
      )
      expect(offenders.map(([file]) => file)).toEqual([])
    })
  }
})
