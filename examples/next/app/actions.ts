'use server'
// Server Actions: they read and write sessions through writeSessions, which sets the cookies.
import { writeSessions } from '@tessera/node/next'
import { redirect } from 'next/navigation'
import { sessions } from '../lib/engine'
import { Cart, Login } from '../lib/sessions'

const PRODUCTS = ['apple', 'pear', 'plum']

export async function signIn(formData: FormData): Promise<void> {
  const user = String(formData.get('user') ?? '').trim()
  if (!/^[a-z]{1,20}$/.test(user)) redirect('/login?error=name')
  await writeSessions(sessions(), async (current) => {
    await current.set(Login, { user })
    await current.regenerate(Login) // a new identity at sign-in, against session fixation
  })
  redirect('/account')
}

export async function addToCart(formData: FormData): Promise<void> {
  const product = String(formData.get('product'))
  if (!PRODUCTS.includes(product)) return
  await writeSessions(sessions(), async (current) => {
    if ((await current.get(Login)) === null) return
    await current.update(Cart, (cart) => ({ items: [...(cart?.items ?? []), product] }))
  })
}

export async function signOut(): Promise<void> {
  await writeSessions(sessions(), async (current) => {
    await current.clear(Login)
    await current.clear(Cart)
  })
  redirect('/login')
}
