import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/*
 * The bench measures tessera as it ships: the servers and cases import the packages' built `dist`,
 * as an application does, not their TypeScript sources (run through tsx, the sources carry a call
 * per closure that the build does not, which made an engine request about 20% slower). So the
 * builds must be there, and no older than their sources.
 */

const PACKAGES = ['core', 'node', 'browser']

/** The newest modification time of any file below `dir`, in ms. */
function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

/**
 * What is wrong with the builds of the checkout at `root`: `missing` (a package has no build, so
 * nothing can be measured) or `older` (a build older than a source file: the sources may have
 * changed since, or only their dates: a build tool's cache can restore a build it had without
 * rewriting it), with the package named. Undefined when every build is there and newer.
 */
export function buildProblem(root: string): { kind: 'missing' | 'older'; text: string } | undefined {
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name)
    const built = join(dir, 'dist', 'index.js')
    if (!existsSync(built)) return { kind: 'missing', text: `packages/${name} has no build (dist/index.js)` }
    if (statSync(built).mtimeMs < newest(join(dir, 'src')))
      return { kind: 'older', text: `packages/${name}/dist is older than a file of its sources` }
  }
  return undefined
}
