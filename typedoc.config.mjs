// `pnpm docs:api`: the API reference of the three published packages, from their TSDoc, into
// artifacts/api (git-ignored). The entry points are read from each package's `exports` (the
// `@tessera/source` file of every subpath but ./package.json and an internal one), so a new subpath is
// documented without touching this file; scripts/typedoc-module-names.mjs names each module by its
// import specifier. Warnings fail the run (treatWarningsAsErrors), as they do in CI, and an export
// without TSDoc is a warning.
import { readFileSync } from 'node:fs'

const PACKAGES = ['core', 'browser', 'node']
/** Subpaths for sibling packages, not applications: not documented. */
const INTERNAL = /internal|unstable/

const entryPoints = PACKAGES.flatMap((folder) => {
  const manifest = JSON.parse(readFileSync(`packages/${folder}/package.json`, 'utf8'))
  return Object.entries(manifest.exports)
    .filter(([subpath]) => subpath !== './package.json' && !INTERNAL.test(subpath))
    .map(([subpath, conditions]) => {
      const source = conditions['@tessera/source']
      if (typeof source !== 'string')
        throw new Error(`${manifest.name} ${subpath} has no @tessera/source file`)
      return `packages/${folder}/${source.replace(/^\.\//, '')}`
    })
})

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'tessera',
  entryPoints,
  entryPointStrategy: 'resolve',
  tsconfig: 'tsconfig.typedoc.json',
  plugin: ['./scripts/typedoc-module-names.mjs'],
  out: 'artifacts/api',
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  // Every export documented, every {@link} resolved, every referenced type exported.
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: true },
  githubPages: false,
  disableGit: true,
  sourceLinkTemplate: 'https://github.com/tessera-sessions/tessera/blob/main/{path}#L{line}',
}
