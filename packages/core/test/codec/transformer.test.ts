import { describe, expect, it } from 'vitest'
import type { SessionTransformer } from '../../src'
import { transformRead, transformWrite } from '../../src/session-rules'

/** Wraps text in `<tag>…</tag>` on write and unwraps on read, logging each call. */
function wrapper(tag: string, log: string[]): SessionTransformer {
  return {
    write(text) {
      log.push(`write ${tag}`)
      return `<${tag}>${text}</${tag}>`
    },
    async read(text) {
      log.push(`read ${tag}`)
      const open = `<${tag}>`
      const close = `</${tag}>`
      return text.startsWith(open) && text.endsWith(close) ? text.slice(open.length, -close.length) : null
    },
  }
}

describe('transformers', () => {
  it('write in order and read in reverse order', async () => {
    const log: string[] = []
    const chain = [wrapper('a', log), wrapper('b', log), wrapper('c', log)]
    const written = await transformWrite(chain, 'x')
    expect(written).toBe('<c><b><a>x</a></b></c>')
    expect(await transformRead(chain, written)).toBe('x')
    expect(log).toEqual(['write a', 'write b', 'write c', 'read c', 'read b', 'read a'])
  })

  it('with no transformers pass the text through', async () => {
    expect(await transformWrite([], 'x')).toBe('x')
    expect(await transformRead([], 'x')).toBe('x')
  })

  it('read as absent (null) when one returns null, and stop there', async () => {
    const log: string[] = []
    const chain = [wrapper('a', log), wrapper('b', log)]
    expect(await transformRead(chain, '<a>x</a>')).toBeNull() // b refuses: not wrapped in <b>
    expect(log).toEqual(['read b'])
  })

  it('read as absent when one throws, synchronously or not', async () => {
    const sync: SessionTransformer = {
      write: (t) => t,
      read: () => {
        throw new Error('bad')
      },
    }
    const async: SessionTransformer = { write: (t) => t, read: async () => Promise.reject(new Error('bad')) }
    expect(await transformRead([sync], 'x')).toBeNull()
    expect(await transformRead([async], 'x')).toBeNull()
  })

  it('read as absent when one returns something other than a string', async () => {
    const odd: SessionTransformer = { write: (t) => t, read: () => 42 as never }
    expect(await transformRead([odd], 'x')).toBeNull()
  })

  it('let a throwing write propagate', async () => {
    const failing: SessionTransformer = {
      write: () => {
        throw new Error('no')
      },
      read: (t) => t,
    }
    await expect(transformWrite([failing], 'x')).rejects.toThrow('no')
  })
})
