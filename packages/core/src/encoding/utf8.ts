let encoder: InstanceType<typeof TextEncoder> | undefined
let decoder: InstanceType<typeof TextDecoder> | undefined

/**
 * UTF-8 bytes of a string.
 *
 * @example utf8('é') // Uint8Array [0xc3, 0xa9]
 */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  encoder ??= new TextEncoder()
  return encoder.encode(text)
}

/**
 * The string of UTF-8 bytes, or null when they are not valid UTF-8.
 *
 * @example fromUtf8(new Uint8Array([0xff])) // null
 */
export function fromUtf8(bytes: Uint8Array): string | null {
  decoder ??= new TextDecoder('utf-8', { fatal: true })
  try {
    return decoder.decode(bytes)
  } catch {
    return null
  }
}
