import type { KeyRing } from '../crypto/key-ring'
import type { SessionCrypto, TagFunction } from '../crypto/session-crypto'
import { timingSafeEqualText, utf8 } from '../encoding'
import { SessionError } from '../errors'
import { checkValue, encodeValue, readValue } from '../session-rules'
import type { OwnedSession, SessionStorage } from '../storage/session-storage'
import type { Binding } from './binding'
import type { SessionMetadata } from './server-store'
import { assertOwner, entryLine, readEntry, storageCall, storeValue } from './server-store'

/*
 * Server-stored sessions managed outside a request: an owner's sessions listed (a devices page), and
 * one of them read, replaced or ended (admin tools, "sign out this device"). A listing names each
 * session by a handle, never by its id: a `none` session's id alone is a working cookie, and even a
 * signed one is a secret the storage keeps. A handle is an HMAC of the id under a key of its own, so
 * it leads back to the session only through the owner's listing, on the server.
 */

/** One live server-stored session of an owner, as `engine.listSessions` lists it. */
export interface ManagedSession {
  /**
   * Names the session to `readSession`, `replaceSession` and `endSession` (with its owner), and
   * `sessions.handle(D)` gives the current request's. Opaque: not the id, never usable as a cookie;
   * it changes when the signing key rotates.
   */
  readonly handle: string
  /** When the session began; null for one stored before entries recorded it. */
  readonly createdAt: Date | null
  /** When the session was last written or renewed (renewal happens at most once per half its idle time); null when not recorded. */
  readonly lastSeenAt: Date | null
  /** When the stored entry expires unless renewed; null for never. */
  readonly expiresAt: Date | null
  /** What the app attached with `set(D, value, { metadata })`; empty when nothing. */
  readonly metadata: SessionMetadata
}

/** One session read by `engine.readSession`: its listing and its value. */
export interface ManagedSessionValue<T = unknown> extends ManagedSession {
  readonly value: T
}

/** The handle key of a session: HKDF of the signing secret, its own purpose; random without a secret. */
function handleKey(crypto: SessionCrypto, ring: KeyRing | undefined, name: string) {
  const secret = ring?.keys[0]?.secret ?? crypto.randomBytes(32)
  return crypto.hkdf(secret, utf8('tessera/v1'), utf8(`handle/${name}`), 32)
}

/** The engine's management of stored sessions; one per engine. */
export function createSessionAdmin(parts: {
  readonly crypto: SessionCrypto
  readonly ring: KeyRing | undefined
  readonly nowSeconds: () => number
}) {
  const taggers = new Map<Binding, Promise<TagFunction>>()

  const handleOf = async (binding: Binding, id: string): Promise<string> => {
    let tagger = taggers.get(binding)
    if (!tagger) {
      tagger = (async () =>
        parts.crypto.hmacSha256(await handleKey(parts.crypto, parts.ring, binding.name)))()
      taggers.set(binding, tagger)
    }
    // 132 bits of the tag: unguessable, and short enough for a URL.
    return (await (await tagger)(id)).slice(0, 22)
  }

  /** The storage of a server-stored session that can list owners; `INVALID_OPERATION` otherwise. */
  const listingStorage = (
    binding: Binding,
    owner: string,
  ): SessionStorage & Required<Pick<SessionStorage, 'listOwner'>> => {
    const storage = binding.storage
    if (!storage) {
      throw new SessionError('INVALID_OPERATION', `session "${binding.name}" is not stored server-side`, {
        session: binding.name,
      })
    }
    if (typeof storage.listOwner !== 'function') {
      throw new SessionError(
        'INVALID_OPERATION',
        `the storage of session "${binding.name}" cannot list an owner's sessions: it has no listOwner method`,
        { session: binding.name },
      )
    }
    assertOwner(owner, binding.name)
    return storage as SessionStorage & Required<Pick<SessionStorage, 'listOwner'>>
  }

  /** A stored session as listed; undefined when its entry is unreadable or past its limits. */
  const describe = async (binding: Binding, owned: OwnedSession) => {
    const now = parts.nowSeconds()
    if (owned.expiresAt !== 0 && owned.expiresAt <= now * 1000) return undefined
    const line = entryLine(owned.data)
    // An entry of the older shape has no line: no start, no labels, but a live session all the same.
    const entry = line ? readEntry(binding, owned.data, line, now) : undefined
    if (typeof entry === 'string') return undefined
    const at = (seconds: number | undefined) => (seconds === undefined ? null : new Date(seconds * 1000))
    const session: ManagedSession = {
      handle: await handleOf(binding, owned.id),
      createdAt: at(entry?.iat),
      lastSeenAt: at(entry?.seen),
      expiresAt: owned.expiresAt === 0 ? null : new Date(owned.expiresAt),
      metadata: entry?.meta ?? {},
    }
    return { session, owned, entry }
  }

  const list = async (binding: Binding, owner: string) => {
    const storage = listingStorage(binding, owner)
    const owned = await storageCall(binding, () => storage.listOwner(owner))
    const described = await Promise.all(owned.map((one) => describe(binding, one)))
    return described
      .filter((one) => one !== undefined)
      .sort((a, b) => (b.session.createdAt?.getTime() ?? 0) - (a.session.createdAt?.getTime() ?? 0))
  }

  const find = async (binding: Binding, owner: string, handle: string) => {
    if (typeof handle !== 'string') return undefined
    return (await list(binding, owner)).find((one) => timingSafeEqualText(one.session.handle, handle))
  }

  return {
    handleOf,

    async list(binding: Binding, owner: string): Promise<ManagedSession[]> {
      return (await list(binding, owner)).map((one) => one.session)
    },

    async read(binding: Binding, owner: string, handle: string): Promise<ManagedSessionValue | null> {
      const found = await find(binding, owner, handle)
      if (!found) return null
      const read = await readValue(binding.descriptor, found.entry?.text ?? found.owned.data)
      return read.ok ? { ...found.session, value: read.value } : null
    },

    /**
     * Replaces the value with compare-and-set against the version listed: a request that changed the
     * session meanwhile makes it `CONFLICT` (or the session's `merge` runs), as between requests. The
     * session keeps its start, lifetime, expiry and labels; its last-seen time is the user's, unchanged.
     */
    async replace(binding: Binding, owner: string, handle: string, value: unknown): Promise<boolean> {
      const found = await find(binding, owner, handle)
      if (!found) return false
      const checked = await checkValue(binding.descriptor, value)
      const text = await encodeValue(binding.descriptor, checked)
      const now = parts.nowSeconds()
      const { owned, entry } = found
      await storeValue(binding, {
        id: owned.id,
        value: checked,
        text,
        expectedVersion: owned.version,
        claims: { iat: entry?.iat ?? now, exp: Math.ceil(owned.expiresAt / 1000) },
        end: entry?.end,
        meta: entry?.meta,
        seen: entry?.seen,
        now,
      })
      return true
    },

    /** Ends the session (its user is signed out on that device); false when the handle lists nothing. */
    async end(binding: Binding, owner: string, handle: string): Promise<boolean> {
      const found = await find(binding, owner, handle)
      if (!found) return false
      await storageCall(binding, () => binding.storage!.invalidate(found.owned.id))
      return true
    },
  }
}
