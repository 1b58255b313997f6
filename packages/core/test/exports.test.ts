import { describe, expect, it } from 'vitest'
import * as core from '../src/index'
import indexSource from '../src/index.ts?raw'

/** Names in `export { … }` or `export type { … }` blocks of the hand-written index. */
function exportedNames(source: string, kind: 'value' | 'type'): string[] {
  const pattern = kind === 'type' ? /export type \{([^}]*)\}/g : /export \{([^}]*)\}/g
  return [...source.matchAll(pattern)]
    .flatMap((match) => match[1]!.split(','))
    .map((name) => name.trim())
    .filter(Boolean)
    .sort()
}

describe('@tessera/core exports', () => {
  it('has exactly these runtime exports', () => {
    expect(Object.keys(core).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_KEY_ID",
        "HEADER_CLEARED",
        "InvalidReason",
        "MAX_COOKIE_BYTES",
        "MAX_DURATION_SECONDS",
        "MAX_TOKEN_LENGTH",
        "MIN_SECRET_BYTES",
        "PROTECTION_LETTER",
        "RequestSessions",
        "SESSION_ID",
        "SessionError",
        "SessionErrorCode",
        "assertNameFor",
        "assertSessionName",
        "checkDescriptor",
        "cookie",
        "cookieAttributes",
        "createEd25519Opener",
        "createEd25519Verifier",
        "createKeyRing",
        "createProtector",
        "createSessionEngine",
        "decodeBase64url",
        "decodeCookieValue",
        "defineSession",
        "deriveKey",
        "encodeBase64url",
        "encodeCookieValue",
        "header",
        "isCanonicalBase64url",
        "isSessionError",
        "jsonCodec",
        "loadClientKit",
        "memoryStorage",
        "openNone",
        "parseToken",
        "protectNone",
        "randomId",
        "readCookie",
        "serializeCookie",
        "splitToken",
        "superjsonCodec",
        "timingSafeEqualBytes",
        "timingSafeEqualText",
        "toSeconds",
        "validateWith",
        "webCrypto",
      ]
    `)
  })

  it('has exactly these type exports', () => {
    expect(exportedNames(indexSource, 'type')).toMatchInlineSnapshot(`
      [
        "AnySessionDescriptor",
        "Awaitable",
        "Base64urlCodec",
        "Claims",
        "ClientKit",
        "CodecContext",
        "CookieAttributeOptions",
        "CookieAttributes",
        "CookieEncoding",
        "CookieSessionOptions",
        "Duration",
        "Ed25519Signer",
        "Ed25519Verify",
        "EngineInternals",
        "ExpirySeconds",
        "HeaderSessionOptions",
        "IdentityContext",
        "InvalidSessionEvent",
        "KeyOptions",
        "KeyPurpose",
        "KeyRing",
        "MemoryStorage",
        "MemoryStorageOptions",
        "OpenOptions",
        "OpenResult",
        "OpenedToken",
        "Protection",
        "Protector",
        "ProtectorOptions",
        "RefusedToken",
        "ResolveAccess",
        "SameSite",
        "SchemaOutcome",
        "SessionAccess",
        "SessionCodec",
        "SessionConfig",
        "SessionCrypto",
        "SessionDescriptor",
        "SessionEngine",
        "SessionEngineOptions",
        "SessionExpiry",
        "SessionIO",
        "SessionKey",
        "SessionOptions",
        "SessionStorage",
        "SessionTransformer",
        "SessionValue",
        "StandardSchemaV1",
        "StorageKind",
        "StorageWriteOptions",
        "StoredSession",
        "TagFunction",
        "TokenParts",
        "Transport",
        "TransportOptions",
        "Visibility",
      ]
    `)
  })

  it('the index is hand-written: named exports only, no export *', () => {
    expect(indexSource).not.toMatch(/export \*/)
    expect(exportedNames(indexSource, 'value')).toEqual(Object.keys(core).sort())
  })
})
