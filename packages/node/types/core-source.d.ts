// Workspace typechecks resolve @tessera/core to its source (the `@tessera/source` condition). That
// source names WebCrypto's global `SubtleCrypto` type, which core gets from its WebWorker lib and
// @types/node does not declare globally. This alias lets the node package typecheck core's source
// without pulling the DOM lib in; it is not part of the published types.
type SubtleCrypto = import('node:crypto').webcrypto.SubtleCrypto
