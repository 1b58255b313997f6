#!/usr/bin/env node
// Builds the three publishable packages and packs each as pnpm publishes it (publishConfig applied,
// `workspace:*` rewritten to the real version, the root LICENSE added) into one folder, then checks
// each packed package.json: no workspace protocol, no development export condition, every @tessera
// dependency pinned to the version packed beside it.
// Usage: node scripts/pack-all.mjs [--out <dir>]   (default: artifacts/packages, git-ignored)
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The packages that are published, by folder under packages/. */
export const PUBLISHED = ['core', 'browser', 'node']

/** pnpm itself when it started this script, else the pinned pnpm through npx. */
function pnpm() {
  const execPath = process.env.npm_execpath ?? ''
  if (/pnpm/.test(execPath)) return [process.execPath, execPath]
  return ['npx', '-y', 'pnpm@10.34.9']
}

function run(command, args, cwd, { quiet = false } = {}) {
  execFileSync(command, args, { cwd, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] })
}

/** The package.json inside a tarball, read with tar (every CI image has it). */
export function packedManifest(tarball) {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }))
}

/** What is wrong with a packed manifest, as sentences; empty when nothing is. */
export function manifestProblems(manifest, versions, files) {
  const problems = []
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (range.startsWith('workspace:')) problems.push(`${field}.${name} is still "${range}"`)
      if (name in versions && range !== versions[name]) {
        problems.push(`${field}.${name} is "${range}", not the packed version ${versions[name]}`)
      }
    }
  }
  if (JSON.stringify(manifest.exports ?? {}).includes('@tessera/source')) {
    problems.push('exports still hold the @tessera/source condition (publishConfig.exports not applied)')
  }
  if (!files.includes('package/LICENSE')) problems.push('the tarball has no LICENSE')
  return problems
}

/** Builds and packs the published packages into `out`; returns the tarballs' absolute paths. */
export function packAll(out) {
  const [command, ...prefix] = pnpm()
  run(
    command,
    [
      ...prefix,
      'exec',
      'turbo',
      'run',
      'build',
      ...PUBLISHED.map((name) => `--filter=@tessera/${name}`),
      '--output-logs=errors-only',
    ],
    root,
  )
  mkdirSync(out, { recursive: true })
  for (const name of readdirSync(out)) {
    if (/^tessera-.*\.tgz$/.test(name)) rmSync(join(out, name))
  }
  const versions = {}
  for (const name of PUBLISHED) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
    versions[manifest.name] = manifest.version
    // pnpm pack lists every file it packs: the check below reads what matters instead.
    run(command, [...prefix, 'pack', '--pack-destination', out], join(root, 'packages', name), {
      quiet: true,
    })
  }
  const tarballs = PUBLISHED.map((name) => join(out, `tessera-${name}-${versions[`@tessera/${name}`]}.tgz`))
  const problems = []
  for (const tarball of tarballs) {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n')
    for (const problem of manifestProblems(packedManifest(tarball), versions, files)) {
      problems.push(`${relative(root, tarball)}: ${problem}`)
    }
  }
  if (problems.length > 0) {
    throw new Error(`The packed packages are not publishable:\n  ${problems.join('\n  ')}`)
  }
  return tarballs
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out')
  const out = resolve(at === -1 ? join(root, 'artifacts', 'packages') : process.argv[at + 1])
  try {
    const tarballs = packAll(out)
    console.log(`\nPacked (workspace versions rewritten, LICENSE included):`)
    for (const tarball of tarballs) {
      const shown = relative(process.cwd(), tarball)
      console.log(`  ${shown.startsWith('..') ? tarball : shown}`)
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
}
