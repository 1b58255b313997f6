import { createSuperjsonCodec, defineSession } from '@tessera/core'
import { afterEach, describe, expect, it } from 'vitest'
import { readSession } from '../../src'
import { claims, clearCookies, publicKeys, setCookie, signer } from './fixtures'

class Money {
  constructor(
    readonly cents: number,
    readonly currency: string,
  ) {}
  format(): string {
    return `${(this.cents / 100).toFixed(2)} ${this.currency}`
  }
}

/** The shared sessions file: the codec with its classes travels in the descriptor to the browser. */
const codec = createSuperjsonCodec({ classes: { Money } })

afterEach(clearCookies)

describe('readSession with registered classes', () => {
  it('reads an instance the server wrote as an instance of the same class', async () => {
    const keys = (await publicKeys('wallet')).wallet!
    const Wallet = defineSession<{ balance: Money }>()('wallet', {
      visibility: 'client',
      codec,
      publicKeys: keys,
    })
    const payload = await codec.encode({ balance: new Money(1250, 'EUR') })
    setCookie(`wallet=${await signer('wallet').protect(payload, claims())}; Path=/`)
    const wallet = await readSession(Wallet)
    expect(wallet?.balance).toBeInstanceOf(Money)
    expect(wallet?.balance.format()).toBe('12.50 EUR')
  })
})
