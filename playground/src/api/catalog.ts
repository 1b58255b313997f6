/** What the shop sells; the server adds lines from here, so the browser never sets a price. */
export const CATALOG: Readonly<Record<string, { readonly name: string; readonly unitPrice: number }>> = {
  'TILE-RED': { name: 'Red tessera', unitPrice: 120 },
  'TILE-GOLD': { name: 'Gold tessera', unitPrice: 450 },
  GROUT: { name: 'Grout, 1 kg', unitPrice: 300 },
  KIT: { name: 'Mosaic starter kit', unitPrice: 2400 },
}

/** The users one can sign in as (no passwords: this is about the session, not the credential). */
export const USERS: Readonly<Record<string, { readonly name: string; readonly roles: readonly string[] }>> = {
  ada: { name: 'Ada Lovelace', roles: ['admin'] },
  grace: { name: 'Grace Hopper', roles: ['editor'] },
  linus: { name: 'Linus Pauling', roles: ['viewer'] },
}
