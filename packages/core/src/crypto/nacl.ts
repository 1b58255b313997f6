/*
 * tweetnacl as an ES module. The package build bundles tweetnacl into this module (see
 * ../../tsup.config.ts), so an app's bundler meets no CommonJS in core and adds no interop helpers to
 * the page; from the sources (tests, workspace tools) it re-exports the package as installed.
 */
import nacl from 'tweetnacl'

export default nacl
