#!/usr/bin/env node
// `pnpm check:docs`: type-checks every ```ts and ```tsx block of README.md, packages/*/README.md,
// playground/README.md and docs/**/*.md. Each block becomes a module of a temporary project in which
// `@tessera/*` resolves to the workspace packages' sources (the `@tessera/source` condition, as their
// own tests do) and other packages to the copies the workspace installed; TypeScript compiles them
// all (strict, moduleResolution bundler) and every error is reported at its line in the markdown.
//
// A block is a module on its own: it imports what it uses. Three HTML comments, on the line or lines
// just before a block's opening fence, change that:
//
//   <!-- file: shared/sessions.ts -->
//       the block is that file (relative to a folder per markdown file), so a later block of the same
//       markdown file can import it: `import { Cart } from './shared/sessions'`.
//   <!-- prelude: import { Redis } from 'ioredis'; declare const redis: Redis -->
//       code the reader does not see is put before the block (it may span lines): for a block that
//       continues an earlier one or leaves its context out on purpose.
//   <!-- snippet: partial -->
//       the block is not compiled (pseudo-code, a signature shown for reading); it is listed as skipped.
//
// Usage: node scripts/check-docs.mjs [--keep] [files...]   (--keep leaves the temporary project)
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const keep = args.includes('--keep')
const only = args.filter((arg) => !arg.startsWith('--'))

/** Where packages other than tessera's are looked up, in this order: the workspace installed them there. */
const INSTALLED_IN = ['packages/node', 'packages/browser', 'packages/core', 'playground', 'bench', '.']
const DIRECTIVE = /^<!--\s*(file|prelude|snippet):\s*([\s\S]*?)\s*-->$/

/** The markdown files to check, relative to the root. */
function markdownFiles() {
  if (only.length > 0) return only.map((file) => relative(root, resolve(file)))
  const packages = readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`)
  const docs = readdirSync(join(root, 'docs'), { recursive: true })
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  return ['README.md', ...packages, 'playground/README.md', ...docs.sort()].filter((file) =>
    existsSync(join(root, file)),
  )
}

/**
 * The ts/tsx blocks of a markdown file: their code, the markdown line of their first code line, and
 * the directives in the comments just above their fence.
 */
export function extractBlocks(markdown) {
  const lines = markdown.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(```+|~~~+)\s*(ts|tsx|typescript)\b.*$/.exec(lines[i])
    if (fence === null) {
      if (/^\s*(```|~~~)/.test(lines[i])) i = closingFence(lines, i) // skip other languages' blocks
      continue
    }
    const end = closingFence(lines, i)
    const indent = fence[1].length
    const code = lines.slice(i + 1, end).map((line) => line.slice(Math.min(indent, line.search(/\S|$/))))
    blocks.push({
      line: i + 2,
      indent,
      lang: fence[3] === 'tsx' ? 'tsx' : 'ts',
      code: code.join('\n'),
      ...directivesAbove(lines, i),
    })
    i = end
  }
  return blocks
}

function closingFence(lines, open) {
  const marker = /^\s*(```+|~~~+)/.exec(lines[open])[1]
  for (let j = open + 1; j < lines.length; j++) {
    if (lines[j].trim().startsWith(marker) && lines[j].trim().replace(/[`~]/g, '') === '') return j
  }
  return lines.length
}

/** Reads the `<!-- ... -->` comments that sit right above line `fence` (blank lines between allowed). */
function directivesAbove(lines, fence) {
  const found = { file: undefined, prelude: '', partial: false }
  let j = fence - 1
  while (j >= 0) {
    if (lines[j].trim() === '') {
      j--
      continue
    }
    if (!lines[j].trim().endsWith('-->')) break
    let start = j
    while (start > 0 && !lines[start].includes('<!--')) start--
    const directive = DIRECTIVE.exec(
      lines
        .slice(start, j + 1)
        .join('\n')
        .trim(),
    )
    if (directive === null) break
    const [, kind, value] = directive
    if (kind === 'file') found.file = value
    if (kind === 'prelude') found.prelude = `${value}\n${found.prelude}`
    if (kind === 'snippet') {
      if (value !== 'partial') throw new Error(`unknown snippet directive "${value}" (known: partial)`)
      found.partial = true
    }
    j = start - 1
  }
  return found
}

/** The package names a piece of code imports (bare specifiers only), as TypeScript reads its imports. */
function importedPackages(code) {
  const names = new Set()
  for (const { fileName: specifier } of ts.preProcessFile(code, true, true).importedFiles) {
    if (specifier.startsWith('.') || specifier.startsWith('node:')) continue
    const parts = specifier.split('/')
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0])
  }
  return names
}

/** Links `node_modules/<name>` of the project to the workspace's copy; false when there is none. */
function linkPackage(project, name) {
  const target = join(project, 'node_modules', name)
  if (existsSync(target)) return true
  const tessera = /^@tessera\/(core|browser|node)$/.exec(name)
  const candidates = tessera
    ? [join(root, 'packages', tessera[1])]
    : INSTALLED_IN.map((dir) => join(root, dir, 'node_modules', name))
  const found = candidates.find((candidate) => existsSync(join(candidate, 'package.json')))
  if (found === undefined) return false
  mkdirSync(dirname(target), { recursive: true })
  symlinkSync(realpathSync(found), target, 'dir')
  return true
}

function typesPackageOf(name) {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`
}

const COMPILER_OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ['@tessera/source'],
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
}

function main() {
  const project = mkdtempSync(join(tmpdir(), 'tessera-check-docs-'))
  const blocks = []
  for (const markdownFile of markdownFiles()) {
    const folder = markdownFile.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')
    for (const [index, block] of extractBlocks(readFileSync(join(root, markdownFile), 'utf8')).entries()) {
      const name = block.file ?? `block-${index + 1}-line-${block.line}.${block.lang}`
      const path = join(project, folder, name)
      if (blocks.some((other) => other.path === path)) {
        throw new Error(`${markdownFile}:${block.line}: another block of this file is already ${name}`)
      }
      blocks.push({ ...block, markdownFile, path })
    }
  }

  const missing = new Set()
  // JSX compiles to imports of react/jsx-runtime that no block writes.
  const jsx = blocks.some((block) => block.lang === 'tsx') ? ['react'] : []
  const imported = blocks.flatMap((block) => [...importedPackages(`${block.prelude}\n${block.code}`)])
  for (const name of ['@types/node', ...jsx, ...imported]) {
    if (!linkPackage(project, name)) missing.add(name)
    if (!name.startsWith('@types/')) linkPackage(project, typesPackageOf(name))
  }
  for (const block of blocks) {
    mkdirSync(dirname(block.path), { recursive: true })
    // `export {}` keeps a block without imports a module of its own.
    writeFileSync(block.path, `${block.prelude}${block.code}\nexport {}\n`)
  }

  const checked = blocks.filter((block) => !block.partial)
  const program = ts.createProgram(
    checked.map((block) => block.path),
    COMPILER_OPTIONS,
  )
  const byPath = new Map(checked.map((block) => [realpathSync(block.path), block]))
  const failures = new Map()
  const elsewhere = []
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    const block = diagnostic.file && byPath.get(realpathSync(diagnostic.file.fileName))
    if (!block) {
      const where = diagnostic.file ? relative(root, diagnostic.file.fileName) : 'the compiler'
      elsewhere.push(`${where}: TS${diagnostic.code}: ${message}`)
      continue
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    const preludeLines = block.prelude === '' ? 0 : block.prelude.split('\n').length - 1
    const where =
      line < preludeLines
        ? `${block.markdownFile}:${block.line - 1} (the prelude of the block at line ${block.line})`
        : `${block.markdownFile}:${block.line + line - preludeLines}:${block.indent + character + 1}`
    if (!failures.has(block)) failures.set(block, [])
    failures.get(block).push(`${where} TS${diagnostic.code}: ${message}`)
  }

  for (const block of blocks) {
    const label = `${block.markdownFile}:${block.line}`
    if (block.partial) console.log(`skip ${label} (snippet: partial)`)
    else if (failures.has(block)) console.log(`FAIL ${label}\n  ${failures.get(block).join('\n  ')}`)
    else console.log(`ok   ${label}`)
  }
  if (missing.size > 0) console.log(`\nnot installed anywhere in the workspace: ${[...missing].join(', ')}`)
  if (elsewhere.length > 0) console.log(`\nerrors outside the blocks:\n  ${elsewhere.join('\n  ')}`)
  const skipped = blocks.length - checked.length
  console.log(
    `\n${checked.length} blocks compiled, ${failures.size} failed, ${skipped} partial (not compiled), in ${new Set(blocks.map((block) => block.markdownFile)).size} files`,
  )
  if (keep) console.log(`the project is in ${project}`)
  else rmSync(project, { recursive: true, force: true })
  return failures.size === 0 && elsewhere.length === 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main() ? 0 : 1)
