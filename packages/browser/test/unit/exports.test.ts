import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as main from '../../src'
import * as react from '../../src/react'
import * as testing from '../../src/testing'

/** esbuild as a browser app bundles: ESM with code splitting, in memory, with the chunk graph. */
const BROWSER_BUILD: import('esbuild').BuildOptions & { metafile: true; write: false } = {
  bundle: true,
  write: false,
  splitting: true,
  format: 'esm',
  outdir: 'out',
  metafile: true,
  platform: 'browser',
  conditions: ['@tessera/source'],
  logLevel: 'silent',
}

describe('public surface', () => {
  it('each entry exports exactly these names', () => {
    expect({
      '@tessera/browser': Object.keys(main).sort(),
      '@tessera/browser/react': Object.keys(react).sort(),
      '@tessera/browser/testing': Object.keys(testing).sort(),
    }).toMatchInlineSnapshot(`
      {
        "@tessera/browser": [
          "createSessionClient",
          "readSession",
        ],
        "@tessera/browser/react": [
          "SessionClientProvider",
          "useSession",
          "useSessionClient",
        ],
        "@tessera/browser/testing": [
          "createMockSessions",
        ],
      }
    `)
  })

  it('the main entry reaches neither React nor msw, even in its lazy parts', async () => {
    const { build } = await import('esbuild')
    const result = await build({
      ...BROWSER_BUILD,
      entryPoints: [join(process.cwd(), 'src/index.ts')],
      external: ['react', 'react-dom', 'msw'],
    })
    const imported = Object.values(result.metafile.outputs).flatMap((output) =>
      output.imports.map((edge) => edge.path),
    )
    expect(imported.filter((path) => /^(react|msw)/.test(path))).toEqual([])
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes('js-cookie'))).toBe(true)
  })

  /** The modules of the chunks a page built from `app` loads up front (esbuild, as the size script builds). */
  async function initialInputs(app: string): Promise<string[]> {
    const { build } = await import('esbuild')
    const result = await build({
      stdin: {
        contents: `
import { createSessionClient, readSession } from '@tessera/browser'
import { defineSession, jsonCodec } from '@tessera/core'
const Cart = defineSession('cart', { visibility: 'client', codec: jsonCodec, publicKeys: { '0': '${'A'.repeat(43)}' } })
${app}`,
        resolveDir: process.cwd(),
        loader: 'js',
      },
      ...BROWSER_BUILD,
      alias: { '@tessera/browser': join(process.cwd(), 'src/index.ts') },
      minify: true,
    })
    const outputs = result.metafile.outputs
    const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === '<stdin>')!
    const initial = new Set<string>()
    const visit = (path: string) => {
      if (initial.has(path)) return
      initial.add(path)
      for (const edge of outputs[path]!.imports) if (edge.kind === 'import-statement') visit(edge.path)
    }
    visit(entry)
    return [...initial].flatMap((path) => Object.keys(outputs[path]!.inputs))
  }
  // What a page that only reads must not download up front: the libraries only writing (js-cookie),
  // rich values (superjson) and old browsers (tweetnacl) need, and the client's parts for writing,
  // fetch and watching for changes.
  const lazy = [
    /node_modules\/.*(js-cookie|tweetnacl|superjson)/,
    /browser\/src\/(session-writer|session-fetch|redirect-hop|change-watcher)\.ts$/,
  ]

  it('a page that only reads holds none of the writing, fetch or watching code in its first chunks', async () => {
    const inputs = await initialInputs('void createSessionClient({ sessions: [Cart] }).get(Cart)')
    expect(inputs.some((input) => input.endsWith('session-reader.ts'))).toBe(true)
    expect(inputs.filter((input) => lazy.some((pattern) => pattern.test(input)))).toEqual([])
  })

  it('a page that reads with readSession holds none of the client either', async () => {
    const inputs = await initialInputs('void readSession(Cart)')
    expect(inputs.some((input) => input.endsWith('read-session.ts'))).toBe(true)
    const client = /browser\/src\/(session-client|header-store)\.ts$/
    expect(
      inputs.filter((input) => client.test(input) || lazy.some((pattern) => pattern.test(input))),
    ).toEqual([])
  })
})
