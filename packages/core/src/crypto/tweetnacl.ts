export type Nacl = typeof import('tweetnacl')

let nacl: Nacl | undefined
let loading: Promise<Nacl> | undefined

/**
 * tweetnacl, imported on first need so that a bundle which never seals and verifies Ed25519 with
 * WebCrypto never downloads it.
 */
export function loadNacl(): Nacl | Promise<Nacl> {
  if (nacl) return nacl
  loading ??= import('tweetnacl').then((module) => {
    nacl = ((module as { default?: Nacl }).default ?? module) as Nacl
    return nacl
  })
  return loading
}
