import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as main from '../../src'
import * as react from '../../src/react'
import * as testing from '../../src/testing'

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
      entryPoints: [join(process.cwd(), 'src/index.ts')],
      bundle: true,
      write: false,
      splitting: true,
      format: 'esm',
      outdir: 'out',
      metafile: true,
      platform: 'browser',
      conditions: ['@tessera/source'],
      external: ['react', 'react-dom', 'msw'],
      logLevel: 'silent',
    })
    const imported = Object.values(result.metafile.outputs).flatMap((output) =>
      output.imports.map((edge) => edge.path),
    )
    expect(imported.filter((path) => /^(react|msw)/.test(path))).toEqual([])
    expect(Object.keys(result.metafile.inputs).some((input) => input.includes('js-cookie'))).toBe(true)
  })
})
