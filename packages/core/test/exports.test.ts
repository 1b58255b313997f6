import { describe, expect, it } from 'vitest'
import * as core from '../src/index'
import indexSource from '../src/index.ts?raw'
import * as internal from '../src/internal'
import internalSource from '../src/internal.ts?raw'

/** Names in `export { … }` or `export type { … }` blocks of a hand-written entry. */
function exportedNames(source: string, kind: 'value' | 'type'): string[] {
  const pattern = kind === 'type' ? /export type \{([^}]*)\}/g : /export \{([^}]*)\}/g
  return [...source.matchAll(pattern)]
    .flatMap((match) => match[1]!.split(','))
    .map((name) => name.trim())
    .filter(Boolean)
    .sort()
}

describe('@tessera/core exports', () => {
  it('has exactly these runtime exports, what an application calls: at most 20', () => {
    const names = Object.keys(core).sort()
    expect(names.length).toBeLessThanOrEqual(20)
    expect(names).toMatchInlineSnapshot(`
      [
        "InvalidReason",
        "SessionError",
        "SessionErrorCode",
        "cookie",
        "createSessionEngine",
        "createSuperjsonCodec",
        "defineSession",
        "header",
        "isSessionError",
        "jsonCodec",
        "memoryStorage",
        "superjsonCodec",
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
        "CodecContext",
        "CookieAttributeOptions",
        "CookieEncoding",
        "CookieSessionOptions",
        "DataTokenOptions",
        "DataTokens",
        "Duration",
        "Ed25519Signer",
        "Ed25519Verify",
        "HeaderSessionOptions",
        "IdentityContext",
        "InvalidSessionEvent",
        "KeyOptions",
        "ManagedSession",
        "ManagedSessionValue",
        "MemoryStorage",
        "MemoryStorageOptions",
        "OpenDataTokenOptions",
        "OpenOptions",
        "OwnedSession",
        "PossibleOptions",
        "Protection",
        "RequestSessions",
        "ResolveAccess",
        "SameSite",
        "SessionAccess",
        "SessionClass",
        "SessionCodec",
        "SessionConfig",
        "SessionCrypto",
        "SessionDescriptor",
        "SessionEngine",
        "SessionEngineOptions",
        "SessionErrorEvent",
        "SessionExpiry",
        "SessionIO",
        "SessionKey",
        "SessionLifetime",
        "SessionMetadata",
        "SessionOperation",
        "SessionOptions",
        "SessionSetOptions",
        "SessionStorage",
        "SessionTransformer",
        "SessionValue",
        "StandardSchemaV1",
        "StorageKind",
        "StorageWriteOptions",
        "StoredSession",
        "SuperjsonCodecOptions",
        "TagFunction",
        "Transport",
        "TransportOptions",
        "ValueLiteral",
        "Visibility",
      ]
    `)
  })

  it('the entries are hand-written: named exports only, no export *', () => {
    for (const [source, module] of [
      [indexSource, core],
      [internalSource, internal],
    ] as const) {
      expect(source).not.toMatch(/export \*/)
      expect(exportedNames(source, 'value')).toEqual(Object.keys(module).sort())
    }
  })
})

describe('@tessera/core/internal exports', () => {
  it('says it is not a public API', () => {
    expect(internalSource).toMatch(/NOT a public API/)
  })

  it('has exactly these runtime exports, for @tessera/browser and @tessera/node', () => {
    expect(Object.keys(internal).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_KEY_ID",
        "DEFAULT_MAX_AGE",
        "ED25519_KEY_BYTES",
        "HEADER_CLEARED",
        "KEY_ID",
        "MAX_COOKIE_BYTES",
        "MAX_DURATION_SECONDS",
        "MAX_OWNER_LENGTH",
        "MAX_TOKEN_LENGTH",
        "MIN_SECRET_BYTES",
        "PROTECTION_LETTER",
        "RequestSessions",
        "SESSION_ID",
        "assertCookieFits",
        "assertEd25519Key",
        "assertKnownOptions",
        "assertNameFor",
        "assertOwner",
        "assertSessionName",
        "assertValue",
        "checkDescriptor",
        "checkPublicKeys",
        "checkValue",
        "codecContext",
        "cookieAttributes",
        "cookieMaxAge",
        "createEd25519Opener",
        "createEd25519Verifier",
        "createKeyRing",
        "createProtector",
        "decodeBase64url",
        "decodeBase64urlText",
        "decodeCookieValue",
        "deriveKey",
        "encodeBase64url",
        "encodeCookieValue",
        "encodeValue",
        "expirySeconds",
        "fromUtf8",
        "isCanonicalBase64url",
        "isPromiseLike",
        "isReadable",
        "loadNacl",
        "loadOnce",
        "openNone",
        "openPayload",
        "parseJson",
        "parseToken",
        "protectNone",
        "randomId",
        "readCookie",
        "readCookies",
        "readValue",
        "serializeCookie",
        "sessionClaims",
        "splitToken",
        "timingSafeEqualText",
        "toSeconds",
        "transformRead",
        "transformWrite",
        "utf8",
        "validateWith",
        "when",
        "withSealingNonce",
      ]
    `)
  })

  it('repeats nothing the public index exports', () => {
    const overlap = Object.keys(internal).filter((name) => name in core)
    expect(overlap).toEqual([])
  })
})
