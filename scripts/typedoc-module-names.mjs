// A TypeDoc plugin of tessera's own: each entry point's module is named by its import specifier
// (`@tessera/node/express`) instead of its file path (`node/src/express`), read from the `exports` of
// the package.json above the file. The sources stay free of `@module` tags.
import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { Converter, ReflectionKind } from 'typedoc'

/** The specifier that `exports` maps to `file` (a `@tessera/source` path), or undefined. */
function specifierOf(file) {
  let dir = dirname(file)
  while (dir !== dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      const local = `./${relative(dir, file).replaceAll('\\', '/')}`
      for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
        if (conditions?.['@tessera/source'] === local) {
          return subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
        }
      }
      return undefined
    } catch {
      dir = dirname(dir)
    }
  }
  return undefined
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const file = module.sources?.[0]?.fullFileName
      const specifier = file && specifierOf(file)
      if (specifier) module.name = specifier
    }
  })
}
