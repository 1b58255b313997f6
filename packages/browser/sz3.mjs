import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

const core = path.resolve('../core/src')
const src = process.argv[2] === 'src'
const r = await build({
  stdin: {
    contents: fs.readFileSync('size/client-rich.js', 'utf8'),
    resolveDir: process.cwd(),
    loader: 'js',
  },
  bundle: true,
  minifyWhitespace: true,
  minifySyntax: true,
  format: 'esm',
  write: false,
  metafile: true,
  outdir: '/tmp/szout',
  alias: src
    ? {
        '@tessera/core/internal': core + '/internal.ts',
        '@tessera/core': core + '/index.ts',
        '@tessera/browser': path.resolve('src/index.ts'),
      }
    : {},
  plugins: [
    {
      name: 'x',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (a) =>
          a.kind === 'dynamic-import' && !/^superjson$/.test(a.path)
            ? { path: a.path, external: true }
            : undefined,
        )
      },
    },
  ],
})
const out = r.outputFiles[0].text
const names = new Set(
  [...out.matchAll(/(?:function |class |(?:var|let|const) )([A-Za-z_$][\w$]*)/g)].map((m) => m[1]),
)
console.log([...names].sort().join('\n'))
