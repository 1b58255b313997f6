#!/usr/bin/env node
// The playground's build: the SPA into dist/ and the server into dist-server/main.js, with one
// progress line per step. `node scripts/build.mjs --offline` builds the static offline site instead.
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const offline = process.argv.includes('--offline')

const steps = offline
  ? [['the offline site (msw in the page, no server) into dist-offline/', { mode: 'offline' }]]
  : [
      ['the page (Vite + React) into dist/', {}],
      [
        'the server (node:http + @tessera/node) into dist-server/main.js',
        { build: { ssr: 'server/main.ts' } },
      ],
    ]

for (const [index, [label, config]] of steps.entries()) {
  const started = performance.now()
  process.stdout.write(`[build ${index + 1}/${steps.length}] ${label}`)
  await build({ root, logLevel: 'warn', ...config })
  console.log(` (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}
