#!/usr/bin/env node
// The README's commands run through here so that a machine with only Node 20 and npm needs nothing
// else: it installs the workspace with a pinned pnpm (fetched by npx when none is on the PATH), then
// runs one workspace task. Usage: node scripts/run.mjs <test|start|bench|ci> [args...]
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createTestProgress } from './test-progress.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNPM_VERSION = '10.34.9'
const [task = 'test', ...rest] = process.argv.slice(2)

const tasks = {
  // One package at a time: the suites start Chromium, servers and load loops, and two cores are not enough
  // to run them side by side without timing flakes. Every package runs (--continue) so that the
  // summary covers them all; test-progress.mjs reads turbo's output and reports as packages go.
  test: [
    {
      label: 'the tests of each package, one package at a time',
      progress: [
        'exec',
        'turbo',
        'run',
        'test',
        '--output-logs=full',
        '--concurrency=1',
        '--continue',
        ...rest,
      ],
    },
  ],
  // The playground: build its page and its server, then serve them (flags such as --storage redis
  // and --port go to the server). Its scripts run through the package manager that started this
  // script (npm's `run` starts in a fraction of the time `npx pnpm` takes).
  start: [
    {
      label:
        'building the playground (the page into playground/dist, the server into playground/dist-server)',
      dir: 'playground',
      script: 'build',
    },
    { label: 'starting the playground server', dir: 'playground', script: 'serve', args: rest },
  ],
  // The bench measures the packages as they ship: their builds, made (or found current by turbo's
  // cache) first.
  bench: [
    [
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@tessera/core',
      '--filter=@tessera/node',
      '--filter=@tessera/browser',
    ],
    ['--filter', '@tessera/bench', 'run', 'bench', ...rest],
  ],
}

if (!tasks[task]) {
  console.error(`Unknown task "${task}". Known tasks: ${Object.keys(tasks).join(', ')}.`)
  process.exit(2)
}

/** The package manager that started this script (npm's or pnpm's entry file), when one did. */
const execPath = process.env.npm_execpath ?? ''

/** pnpm itself when this script was started by it, else a pinned copy through npx. */
function pnpmCommand() {
  if (/pnpm/.test(execPath)) return [process.execPath, [execPath]]
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]]
}

/** Runs a package.json script of `dir` with pnpm when it started this script, else with npm. */
function scriptCommand(dir, script, args) {
  if (/pnpm/.test(execPath)) return [process.execPath, [execPath, '--dir', dir, 'run', script, ...args]]
  const tail = args.length > 0 ? ['--', ...args] : []
  if (/npm-cli\.js$/.test(execPath))
    return [process.execPath, [execPath, '--prefix', dir, 'run', script, ...tail]]
  return ['npm', ['--prefix', dir, 'run', script, ...tail]]
}

function run(step, total, label, args, command = pnpmCommand()) {
  console.log(`[${step}/${total}] ${label}`)
  const [program, prefix] = command
  const result = spawnSync(program, [...prefix, ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`[${step}/${total}] failed: ${label}`)
    process.exit(result.status ?? 1)
  }
}

/** Runs turbo's tests with its output read line by line into a progress report; exits on failure. */
async function runWithProgress(step, total, label, args) {
  console.log(`[${step}/${total}] ${label} (the output of a package that fails is shown in full)`)
  const [program, prefix] = pnpmCommand()
  const child = spawn(program, [...prefix, ...args], { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] })
  const progress = createTestProgress({ colour: process.stdout.isTTY === true })
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => progress.line(line))
  }
  const [code, signal] = await once(child, 'close')
  const passed = progress.end(code ?? 1)
  if (!passed) {
    console.error(`[${step}/${total}] failed: ${label}${signal ? ` (${signal})` : ''}`)
    process.exit(code || 1)
  }
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml')
  if (!existsSync(marker)) return true
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs
}

const steps = tasks[task]
const total = steps.length + 1
if (needsInstall()) run(1, total, 'installing dependencies (pnpm install)', ['install', '--frozen-lockfile'])
else console.log(`[1/${total}] dependencies already installed`)
for (const [i, step] of steps.entries()) {
  if (Array.isArray(step)) {
    run(i + 2, total, `pnpm ${step.join(' ')}`, step)
  } else if (step.progress) {
    await runWithProgress(i + 2, total, step.label, step.progress)
  } else {
    const [program, args] = scriptCommand(join(root, step.dir), step.script, step.args ?? [])
    run(i + 2, total, step.label, args, [program, []])
  }
}
