export type Nacl = typeof import('tweetnacl')

let nacl: Nacl | undefined
let loading: Promise<Nacl> | undefined

/**
 * tweetnacl, imported on first need so that a bundle which never seals and verifies Ed25519 with
 * WebCrypto never downloads it. It comes through ./nacl, the module core's build bundles it into.
 */
export function loadNacl(): Nacl | Promise<Nacl> {
  if (nacl) return nacl
  loading ??= import('./nacl').then((module) => {
    nacl = module.default
    return nacl
  })
  return loading
}
