/**
 * Changes one character in the middle of a token's last part: the signature of a signed or Ed25519
 * token, the box of a sealed one, the body of an unprotected (`none`) one. The result is still a
 * well-formed v1 token (the middle character of a base64url part can be anything of the alphabet),
 * so what refuses it is the check that matters: the signature, the seal, or the schema.
 *
 * @example flipCharacter('v1.n.1.2.eyJhIjoxfQ') // 'v1.n.1.2.eyJhAjoxfQ'
 */
export function flipCharacter(token: string): string {
  const start = token.lastIndexOf('.') + 1
  const at = start + Math.floor((token.length - start) / 2)
  if (at >= token.length) return `${token}A`
  const replacement = token[at] === 'A' ? 'B' : 'A'
  return token.slice(0, at) + replacement + token.slice(at + 1)
}
