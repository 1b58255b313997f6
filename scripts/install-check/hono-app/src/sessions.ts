import { defineSession } from '@tessera/core'

/** Sealed (the default), carried in a `login` header by the SPA's fetch instead of a cookie. */
export const Login = defineSession<{ userId: string; name: string }>()('login', {
  transport: 'header',
  expiry: { absolute: '12h' },
})
