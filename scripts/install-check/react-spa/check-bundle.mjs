// Reads Vite's manifest after `vite build` and checks that tweetnacl stays out of what the page loads
// up front: it must be in the build (core loads it where WebCrypto lacks Ed25519), in a chunk of its
// own that only a dynamic import reaches, and no chunk the entry imports statically may contain it.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const manifest = JSON.parse(readFileSync('dist/.vite/manifest.json', 'utf8'))
const read = (file) => readFileSync(`dist/${file}`, 'utf8')
/** A property name of tweetnacl's API object, which minification keeps. */
const NACL_MARKER = 'crypto_core_hsalsa20'

const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry) ?? []
assert.ok(entryKey, 'the manifest names an entry chunk')

/** The entry and every chunk it imports statically, recursively: what the page loads before it runs. */
const upFront = new Set()
const visit = (key) => {
  if (upFront.has(key)) return
  upFront.add(key)
  for (const next of manifest[key].imports ?? []) visit(next)
}
visit(entryKey)

const naclKeys = Object.keys(manifest).filter((key) => read(manifest[key].file).includes(NACL_MARKER))
assert.equal(naclKeys.length, 1, `exactly one chunk of the build holds tweetnacl ("${NACL_MARKER}")`)
const naclChunk = manifest[naclKeys[0]]
assert.ok(naclChunk.isDynamicEntry, 'tweetnacl is in a chunk that a dynamic import reaches')
assert.ok(!upFront.has(naclKeys[0]), 'the entry does not import tweetnacl statically')
for (const key of upFront) {
  const file = manifest[key].file
  assert.ok(!read(file).includes(NACL_MARKER), `${file}, loaded up front, contains no tweetnacl`)
}

for (const key of upFront) {
  const file = manifest[key].file
  console.log(`  up front: ${file} (${(gzipSync(read(file)).length / 1024).toFixed(1)} KB gzip)`)
}
console.log(`  on demand: ${naclChunk.file} (tweetnacl)`)
