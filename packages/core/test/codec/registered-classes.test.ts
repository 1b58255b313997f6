import { describe, expect, it } from 'vitest'
import { createSessionEngine, createSuperjsonCodec, defineSession, superjsonCodec } from '../../src'
import { fakeIO } from '../helpers/fake-io'

class Money {
  constructor(
    readonly cents: number,
    readonly currency: string,
  ) {}
  format(): string {
    return `${(this.cents / 100).toFixed(2)} ${this.currency}`
  }
}

class Unregistered {
  constructor(readonly n: number) {}
}

const SECRET = 'registered classes tests: 32+ bytes, never use'
// Made in each test, not at the top of the file: an error there would fail the file, not a test.
const moneyCodec = () => createSuperjsonCodec({ classes: { Money } })

describe('createSuperjsonCodec: registered classes survive', () => {
  it('an instance set in one request is an instance in the next (sealed and server-stored)', async () => {
    const codec = moneyCodec()
    const Wallet = defineSession<{ balance: Money; at: Date }>()('wallet', { codec })
    const Stored = defineSession<{ balance: Money }>()('stored', { codec, storage: 'server' })
    const engine = createSessionEngine({ secret: SECRET, sessions: [Wallet, Stored] })
    const first = fakeIO()
    const writing = engine.open(first.io)
    await writing.set(Wallet, { balance: new Money(1250, 'EUR'), at: new Date(0) })
    await writing.set(Stored, { balance: new Money(5, 'USD') })
    writing.commit()
    const cookies = first
      .setCookies()
      .map((line) => line.split(';')[0])
      .join('; ')
    const reading = engine.open(fakeIO({ cookie: cookies }).io)
    const wallet = await reading.get(Wallet)
    expect(wallet?.balance).toBeInstanceOf(Money)
    expect(wallet?.balance.format()).toBe('12.50 EUR')
    expect(wallet?.at).toEqual(new Date(0))
    expect((await reading.get(Stored))?.balance).toBeInstanceOf(Money)
  })

  it('the default codec is unaffected: an instance comes back a plain object', async () => {
    const codec = moneyCodec()
    const text = await codec.encode({ m: new Money(1, 'EUR') })
    expect(((await codec.decode(text)) as { m: Money }).m).toBeInstanceOf(Money)
    const plain = (await superjsonCodec.decode(await superjsonCodec.encode({ m: new Money(1, 'EUR') }))) as {
      m: object
    }
    expect(plain.m).not.toBeInstanceOf(Money)
    expect(plain.m).toEqual({ cents: 1, currency: 'EUR' })
  })

  it('a payload naming a class the codec does not know does not decode', async () => {
    const other = createSuperjsonCodec({ classes: { Unregistered } })
    const text = await other.encode({ u: new Unregistered(1) })
    await expect(Promise.resolve().then(() => moneyCodec().decode(text))).rejects.toThrow()
  })

  it('is named after its classes, and keeps identifiers of 1 to 64 of A-Z a-z 0-9 _ - . :', async () => {
    expect(createSuperjsonCodec({ classes: { Money, 'app.v2:Unregistered_x-1': Unregistered } }).name).toBe(
      'superjson(Money,app.v2:Unregistered_x-1)',
    )
    const long = 'M'.repeat(64)
    const codec = createSuperjsonCodec({ classes: { [long]: Money } })
    const text = await codec.encode({ m: new Money(7, 'EUR') })
    // The identifier is what the payload names: it must be the one given.
    expect(text).toContain(`"${long}"`)
    expect(((await codec.decode(text)) as { m: Money }).m).toBeInstanceOf(Money)
  })

  it('refuses identifiers it cannot write and values that are not classes', () => {
    for (const classes of [{ '': Money }, { 'a b': Money }, { ok: 'Money' }, { ['M'.repeat(65)]: Money }]) {
      expect(() => createSuperjsonCodec({ classes } as never)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message:
            'createSuperjsonCodec classes: give each class under an identifier of 1 to 64 of A-Z a-z 0-9 _ - . :',
        }),
      )
    }
    // No classes at all is the default codec's behaviour, under a name of its own.
    expect(createSuperjsonCodec({ classes: {} }).name).toBe('superjson()')
    expect(createSuperjsonCodec(undefined as never).name).toBe('superjson()')
  })
})
