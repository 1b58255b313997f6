import { describe, expect, it } from 'vitest'
import { DEFAULT_PORT, parseServeOptions } from '../server/options'
import { resolveSecret } from '../server/secret'

describe('serve options', () => {
  it('binds 127.0.0.1 on the default port with the in-memory storage', () => {
    expect(parseServeOptions([], {})).toEqual({ host: '127.0.0.1', port: DEFAULT_PORT, storage: 'memory' })
  })

  it('takes HOST, PORT and STORAGE, and flags over them', () => {
    const env = { HOST: '0.0.0.0', PORT: '8080', STORAGE: 'Redis' }
    expect(parseServeOptions([], env)).toEqual({ host: '0.0.0.0', port: 8080, storage: 'redis' })
    expect(parseServeOptions(['--storage', 'postgres', '--port=0', '--host', '::1'], env)).toEqual({
      host: '::1',
      port: 0,
      storage: 'postgres',
    })
  })

  it('refuses a storage it does not know and a port that is not one', () => {
    expect(() => parseServeOptions(['--storage', 'mongo'], {})).toThrow('memory, redis, postgres')
    expect(() => parseServeOptions([], { PORT: 'eighty' })).toThrow('a number from 0 to 65535')
    expect(() => parseServeOptions([], { PORT: '70000' })).toThrow('a number from 0 to 65535')
  })
})

describe('the secret', () => {
  it('generates 32 random bytes per process when TESSERA_SECRET is unset', () => {
    const first = resolveSecret({})
    const second = resolveSecret({ TESSERA_SECRET: '' })
    expect(first.source).toBe('generated')
    expect(Buffer.from(first.value, 'base64url')).toHaveLength(32)
    expect(second.value).not.toBe(first.value)
  })

  it('takes TESSERA_SECRET, and refuses a short one without repeating it', () => {
    const secret = 'a secret from the environment, 32+ bytes'
    expect(resolveSecret({ TESSERA_SECRET: secret })).toEqual({ value: secret, source: 'env' })
    let message = ''
    try {
      resolveSecret({ TESSERA_SECRET: 'hunter2' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('at least 32 bytes')
    expect(message).not.toContain('hunter2')
  })
})
