// Typechecks resolve @tessera/core to its source (the `@tessera/source` condition), which names
// WebCrypto's global `SubtleCrypto` type; @types/node does not declare it globally, and the server's
// tsconfig leaves the DOM lib out. This alias stands in for it.
type SubtleCrypto = import('node:crypto').webcrypto.SubtleCrypto
