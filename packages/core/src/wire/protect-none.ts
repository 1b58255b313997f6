import { encodeBase64url } from '../encoding/base64url-encode'
import { utf8 } from '../encoding/utf8'
import type { Claims } from './token'

/**
 * Writes a v1 `none` token (`v1.n.<iat>.<exp>.<payload>`): no key, no tag. For values the browser
 * owns, which the schema alone checks.
 *
 * @example protectNone('{"json":{"theme":"dark"}}', { iat: 1800000000, exp: 0 })
 */
export function protectNone(payload: string, { iat, exp }: Claims): string {
  // The v1 `none` layout of ./token, spelled out: a page loads this module only when it first writes.
  return `v1.n.${iat}.${exp}.${encodeBase64url(utf8(payload))}`
}
