import type { ReactNode } from 'react'

// Every page reads the request's cookies: none is rendered at build time (which has no secret).
export const dynamic = 'force-dynamic'

export const metadata = { title: 'tessera with Next.js' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
