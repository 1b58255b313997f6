import path from 'node:path'
import zlib from 'node:zlib'
import { build } from 'esbuild'

const core = path.resolve('../core/src')
const r = await build({
  stdin: {
    contents: `import { createSessionClient } from './src/index.ts'
import { defineSession } from '../core/src/index.ts'
const Cart = defineSession('cart', { visibility: 'client', publicKeys: { 0: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik' } })
window.cart = createSessionClient({ sessions: [Cart] }).get(Cart)`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  metafile: true,
  outdir: '/tmp/szout',
  alias: { '@tessera/core/internal': core + '/internal.ts', '@tessera/core': core + '/index.ts' },
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
const out = r.outputFiles[0]
;(await import('node:fs')).writeFileSync('/tmp/rich.js', out.contents)
console.log('total min', out.contents.length, 'gz', zlib.gzipSync(out.contents, { level: 9 }).length)
const o = Object.values(r.metafile.outputs)[0]
const rows = Object.entries(o.inputs)
  .map(([k, v]) => [v.bytesInOutput, k])
  .sort((a, b) => b[0] - a[0])
for (const [n, k] of rows) if (!k.includes('superjson')) console.log(String(n).padStart(7), k)
