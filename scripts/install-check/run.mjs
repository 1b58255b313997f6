#!/usr/bin/env node
// Installs the packed packages as a user would and runs them. `pnpm pack:all` builds and packs the
// three packages; each project in this folder is copied into a fresh temporary folder outside the
// workspace and installed with npm (the tarballs, everything else from the npm registry); then:
//   express-app  Express 5: a signed cookie cart and a login stored in Redis (127.0.0.1:6379), with
//                requireSession; compiled with tsc (nodenext), driven over HTTP with asserts
//   hono-app     Hono on @hono/node-server: a header session through @tessera/node/fetch, over HTTP
//   react-spa    Vite 7 + React: createSessionClient and useSession, type-checked, built, and its
//                manifest checked for tweetnacl outside the chunks the page loads up front
//   types        one program importing every public entry point, compiled strict with
//                moduleResolution bundler and nodenext (skipLibCheck off), and compared with the
//                packages' `exports` so that a new entry point cannot go unchecked
// Usage: node scripts/install-check/run.mjs [--keep]   (--keep leaves the temporary folder)
// Exits non-zero on the first failure, after printing that step's output.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PUBLISHED, packedManifest } from '../pack-all.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const keep = process.argv.includes('--keep')

/** The projects, the packages each installs, and the npm scripts it runs after installing. */
const PROJECTS = [
  { name: 'express-app', packages: ['core', 'node'], scripts: ['build', 'check'] },
  { name: 'hono-app', packages: ['core', 'node'], scripts: ['build', 'check'] },
  { name: 'react-spa', packages: ['core', 'browser'], scripts: ['build', 'check'] },
  { name: 'types', packages: PUBLISHED, scripts: [] },
]
/** Entry points that are not for applications and so need not be imported by the types program. */
const INTERNAL_ENTRY = /internal|unstable/

const work = mkdtempSync(join(tmpdir(), 'tessera-install-check-'))
const steps = [
  ['pack the packages (pnpm pack:all)', () => packTo(join(work, 'packages'))],
  [
    `install ${PROJECTS.map((project) => project.name).join(', ')} with npm, side by side`,
    () => Promise.all(PROJECTS.map(install)).then((lines) => lines.join('\n')),
  ],
  ...PROJECTS.flatMap((project) =>
    project.scripts.map((script) => [
      `${project.name}: npm run ${script}`,
      () => exec('npm', ['run', '--silent', script], join(work, project.name)),
    ]),
  ),
  ['types: tsc, moduleResolution bundler', () => tsc('tsconfig.bundler.json')],
  ['types: tsc, moduleResolution nodenext', () => tsc('tsconfig.nodenext.json')],
  ['types: every entry point is imported', () => everyEntryImported()],
]

let tarballs = []

async function packTo(out) {
  const output = await exec(
    process.execPath,
    [join(here, '..', 'pack-all.mjs'), '--out', out],
    here,
    process.env,
  )
  const packed = readdirSync(out)
  tarballs = PUBLISHED.map((name) => {
    const file = packed.find((file) => file.startsWith(`tessera-${name}-`) && file.endsWith('.tgz'))
    if (file === undefined) throw new Error(`pack-all wrote no tarball of @tessera/${name}\n${output}`)
    return join(out, file)
  })
  return `  ${packed.join(', ')}`
}

async function install(project) {
  const dir = join(work, project.name)
  cpSync(join(here, project.name), dir, { recursive: true })
  const own = project.packages.map((name) => tarballs[PUBLISHED.indexOf(name)])
  const started = performance.now()
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...own], dir)
  return `  ${project.name}: installed in ${seconds(started)}`
}

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`
}

function tsc(config) {
  return exec('npx', ['--no-install', 'tsc', '-p', config], join(work, 'types'))
}

/** Fails when an `exports` entry of a packed package is neither imported by the program nor internal. */
async function everyEntryImported() {
  const source = readFileSync(join(here, 'types', 'src', 'every-entry.ts'), 'utf8')
  const imported = new Set([...source.matchAll(/from '(@tessera\/[^']+)'/g)].map((match) => match[1]))
  const missing = []
  for (const tarball of tarballs) {
    const manifest = packedManifest(tarball)
    for (const entry of Object.keys(manifest.exports)) {
      if (entry === './package.json' || INTERNAL_ENTRY.test(entry)) continue
      const specifier = entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`
      if (!imported.has(specifier)) missing.push(specifier)
    }
  }
  if (missing.length > 0) {
    throw new Error(`types/src/every-entry.ts does not import: ${missing.join(', ')}`)
  }
  return `  ${imported.size} entry points`
}

/**
 * The environment of a user's shell: without the `npm_*` variables of the package manager that
 * started this script (pnpm's settings would reach npm as unknown configs).
 */
const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))

/** Runs a command, collecting its output; rejects with that output when it fails. */
function exec(command, args, cwd, env = userEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(output.trimEnd())
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output.trimEnd()}`))
    })
  })
}

const started = performance.now()
console.log(`install check in ${work}`)
let failed = false
for (const [index, [label, run]] of steps.entries()) {
  const stepStarted = performance.now()
  process.stdout.write(`[${index + 1}/${steps.length}] ${label} ... `)
  try {
    const output = await run()
    console.log(`ok (${seconds(stepStarted)})`)
    if (output) console.log(output.replace(/^(?! {2})/gm, '  '))
  } catch (error) {
    console.log(`FAILED (${seconds(stepStarted)})`)
    console.error(error instanceof Error ? error.message : error)
    failed = true
    break
  }
}
const total = ((performance.now() - started) / 1000).toFixed(0)
if (failed) {
  console.error(`\ninstall check failed after ${total} s; the projects are in ${work}`)
  process.exit(1)
}
if (keep) console.log(`\ninstall check passed in ${total} s; the projects are in ${work}`)
else {
  rmSync(work, { recursive: true, force: true })
  console.log(`\ninstall check passed in ${total} s`)
}
