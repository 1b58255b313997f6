import { decodeBase64url } from '@tessera/core/internal'

/** What each part of a v1 token is, for colouring it. */
export type PartKind = 'version' | 'protection' | 'kid' | 'iat' | 'exp' | 'body' | 'tag' | 'box' | 'junk'

/** A v1 token taken apart for display (docs/wire-format.md); nothing here is verified. */
export interface TokenParts {
  /** The dot-separated parts in order, with where each starts in the token. */
  readonly parts: readonly { readonly text: string; readonly kind: PartKind; readonly at: number }[]
  readonly version: string
  readonly protection: 'none' | 'signed' | 'ed25519' | 'sealed' | 'unknown'
  readonly kid: string | null
  /** Unix seconds, when the claims travel in the clear. */
  readonly iat: number | null
  readonly exp: number | null
  /** The payload text, when it travels in the clear and decodes. */
  readonly payload: string | null
  /** Bytes of the signature, tag or sealed box. */
  readonly tailBytes: number | null
}

const LAYOUTS: Readonly<
  Record<string, { protection: TokenParts['protection']; kinds: readonly PartKind[] }>
> = {
  n: { protection: 'none', kinds: ['version', 'protection', 'iat', 'exp', 'body'] },
  s: { protection: 'signed', kinds: ['version', 'protection', 'kid', 'iat', 'exp', 'body', 'tag'] },
  e: { protection: 'ed25519', kinds: ['version', 'protection', 'kid', 'iat', 'exp', 'body', 'tag'] },
  x: { protection: 'sealed', kinds: ['version', 'protection', 'kid', 'box'] },
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function text(base64url: string | undefined): string | null {
  const bytes = base64url === undefined ? null : decodeBase64url(base64url)
  if (!bytes) return null
  try {
    return decoder.decode(bytes)
  } catch {
    return null
  }
}

const seconds = (value: string | undefined) =>
  value !== undefined && /^\d{1,12}$/.test(value) ? Number(value) : null

/**
 * Splits a token into its labelled parts and decodes what travels in the clear.
 *
 * @example parseToken('v1.n.1700000000.0.eyJqc29uIjoxfQ').payload // '{"json":1}'
 */
export function parseToken(token: string): TokenParts {
  const pieces = token.split('.')
  const layout = LAYOUTS[pieces[1] ?? '']
  const kinds = layout?.kinds ?? []
  let at = 0
  const parts = pieces.map((piece, i) => {
    const part = { text: piece, kind: kinds[i] ?? ('junk' as PartKind), at }
    at += piece.length + 1
    return part
  })
  const partOf = (kind: PartKind) => {
    const index = kinds.indexOf(kind)
    return index < 0 ? undefined : pieces[index]
  }
  const tail = partOf('tag') ?? partOf('box')
  return {
    parts,
    version: pieces[0] ?? '',
    protection: layout?.protection ?? 'unknown',
    kid: partOf('kid') ?? null,
    iat: seconds(partOf('iat')),
    exp: seconds(partOf('exp')),
    payload: text(partOf('body')),
    tailBytes: tail === undefined ? null : (decodeBase64url(tail)?.length ?? null),
  }
}

/** A human name for each protection letter's scheme. */
export const PROTECTION_NAMES: Readonly<Record<TokenParts['protection'], string>> = {
  none: 'none: unsigned, the schema is the only gate',
  signed: 'signed: HMAC-SHA256, only the server holds the key',
  ed25519: 'Ed25519: signed by the server, verifiable with its public key',
  sealed: 'sealed: XSalsa20-Poly1305, only the server can open it',
  unknown: 'not a v1 token',
}
