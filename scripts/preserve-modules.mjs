// The packages' builds keep one output file per source module, as the sources are written, so an app's
// bundler sees the graph it would see in the sources: it tree-shakes and splits a module at a time. A
// build that bundles a package into shared chunks hands the app's bundler modules that mix what a page
// reads with what only a lazily loaded part writes, and the page downloads both.
import { existsSync, readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

/** Every module under `src` (tests and declaration files left out), for tsup's `entry`. */
export function sourceModules(root) {
  const files = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        walk(path)
      } else if (/\.tsx?$/.test(entry.name) && !/\.(d|test)\.tsx?$/.test(entry.name)) {
        files.push(relative(root, path))
      }
    }
  }
  walk(join(root, 'src'))
  return files.sort()
}

/**
 * An esbuild plugin: every relative import stays an import, of the sibling output file (`./codec` of a
 * folder becomes `./codec/index.js`), so each entry compiles to its own module and nothing is inlined.
 */
export const preserveModules = {
  name: 'preserve-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined
      const target = resolve(args.resolveDir, args.path)
      const isModule = (path) => ['.ts', '.tsx'].some((ext) => existsSync(path + ext))
      const path = isModule(target)
        ? args.path
        : isModule(join(target, 'index'))
          ? `${args.path}/index`
          : undefined
      if (path === undefined)
        return { errors: [{ text: `cannot resolve ${args.path} from ${args.importer}` }] }
      return { path: `${path}.js`, external: true }
    })
  },
}
