import type { Base64urlCodec } from '../crypto/session-crypto'
import { decodeBase64url } from './base64url'
import { encodeBase64url } from './base64url-encode'
import { fromUtf8, utf8 } from './utf8'

/**
 * Core's portable base64url, shaped as a {@link Base64urlCodec}: what protectors use when the
 * runtime's `SessionCrypto` brings no native one.
 */
export const portableBase64url: Base64urlCodec = {
  encode: encodeBase64url,
  decode: decodeBase64url,
  encodeText: (text) => encodeBase64url(utf8(text)),
  decodeText(text) {
    const bytes = decodeBase64url(text)
    return bytes && fromUtf8(bytes)
  },
}
