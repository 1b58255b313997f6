import type { AnySessionDescriptor } from '@tessera/core'
import { readCookie } from '@tessera/core/internal'
import { flipCharacter } from '../shared/tamper'

/**
 * Request headers the page sends to drive the playground's demo buttons; a real app has neither.
 * `x-playground-lifetime: short` has the request served by the engine whose sessions last 10 seconds;
 * `x-playground-tamper: <session>` flips one character of that session's token as it arrives.
 */
export const LIFETIME_HEADER = 'x-playground-lifetime'
export const TAMPER_HEADER = 'x-playground-tamper'

/** Reads one request header by lowercase name. */
export type HeaderReader = (name: string) => string | undefined

/**
 * The token of a session as the engine will see it: its cookie or header, with one character flipped
 * when the request asks for that session to be tampered with on arrival.
 *
 * @example incomingToken((name) => request.headers.get(name) ?? undefined, Vault)
 */
export function incomingToken(header: HeaderReader, descriptor: AnySessionDescriptor): string | null {
  const raw =
    descriptor.transport === 'header'
      ? header(descriptor.name.toLowerCase())
      : readCookie(header('cookie'), descriptor.name)
  if (raw === undefined || raw === '') return null
  return header(TAMPER_HEADER) === descriptor.name ? flipCharacter(raw) : raw
}

/**
 * A request header reader that shows the named session's token tampered with (one character
 * flipped), and every other header as it is.
 *
 * @example const read = tamperedHeaders(io.requestHeader.bind(io), Vault)
 */
export function tamperedHeaders(header: HeaderReader, descriptor: AnySessionDescriptor): HeaderReader {
  return (name) => {
    const value = header(name)
    if (value === undefined) return value
    if (descriptor.transport === 'header') {
      return name === descriptor.name.toLowerCase() ? flipCharacter(value) : value
    }
    if (name !== 'cookie') return value
    const token = readCookie(value, descriptor.name)
    if (!token) return value
    return value.replace(`${descriptor.name}=${token}`, `${descriptor.name}=${flipCharacter(token)}`)
  }
}
