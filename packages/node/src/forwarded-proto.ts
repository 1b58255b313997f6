/**
 * True when the first (client-facing) entry of `X-Forwarded-Proto` is `https`: how the node:http and
 * fetch-style adapters tell an https request behind a trusted proxy.
 */
export function forwardedHttps(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false
  const comma = header.indexOf(',')
  return (comma < 0 ? header : header.slice(0, comma)).trim().toLowerCase() === 'https'
}
