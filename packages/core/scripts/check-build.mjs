#!/usr/bin/env node
// Checks core's build where it differs from the sources: tweetnacl is bundled into dist/crypto/nacl.js
// (see ../tsup.config.ts). The module must mention no `require` (an app's bundler would add interop
// helpers to every page for it), and seal, open, sign and verify as tweetnacl does, through core.
// Run after `pnpm build`.
import { readFile } from 'node:fs/promises'
import nacl from '../dist/crypto/nacl.js'
import { createKeyRing, createProtector, webCrypto } from '../dist/index.js'

const failures = []
const check = (what, ok) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures.push(what)
}

const source = await readFile(new URL('../dist/crypto/nacl.js', import.meta.url), 'utf8')
check('dist/crypto/nacl.js mentions no require()', !/\brequire\s*\(|typeof require\b/.test(source))

const message = new TextEncoder().encode('tessera')
const pair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7))
const signature = nacl.sign.detached(message, pair.secretKey)
check('Ed25519: a signature verifies', nacl.sign.detached.verify(message, signature, pair.publicKey))
signature[0] ^= 1
check('Ed25519: a changed signature does not', !nacl.sign.detached.verify(message, signature, pair.publicKey))
const key = new Uint8Array(32).fill(1)
const nonce = new Uint8Array(24).fill(2)
const box = nacl.secretbox(message, nonce, key)
check(
  'secretbox: a box opens',
  new TextDecoder().decode(nacl.secretbox.open(box, nonce, key) ?? undefined) === 'tessera',
)

const ring = createKeyRing({ secret: 'the build check seals with this 32+ byte secret' })
const sealed = createProtector({ protection: 'sealed', name: 'cart', crypto: webCrypto, ring })
const now = Math.floor(Date.now() / 1000)
const token = await sealed.protect('{"json":{"n":1}}', { iat: now, exp: now + 60 })
const opened = await sealed.open(token, now)
check(
  'core seals and opens a session with the bundled tweetnacl',
  opened.ok && opened.payload === '{"json":{"n":1}}',
)

if (failures.length) {
  console.error(`\n${failures.length} check(s) of core's build failed`)
  process.exit(1)
}
