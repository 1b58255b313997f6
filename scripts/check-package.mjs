#!/usr/bin/env node
// Packs the package in the current directory as pnpm publishes it (publishConfig applied), then runs
// publint and @arethetypeswrong/cli on the tarball. Run from a package folder after its build.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const out = mkdtempSync(join(tmpdir(), 'tessera-pack-'))
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' })
try {
  const pnpm =
    process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath)
      ? [process.execPath, process.env.npm_execpath]
      : ['npx', '-y', 'pnpm@10.34.9']
  run(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', out])
  const tarball = join(
    out,
    readdirSync(out).find((name) => name.endsWith('.tgz')),
  )
  run('publint', ['run', tarball, '--strict'])
  run('attw', [tarball, '--profile', 'esm-only'])
} finally {
  rmSync(out, { recursive: true, force: true })
}
