import type { ManagedSession } from '@tessera/core'

/** One row of the Devices panel: a listed session, as JSON, and whether it is the caller's own. */
export interface DeviceRow {
  readonly handle: string
  readonly createdAt: string | null
  readonly lastSeenAt: string | null
  readonly expiresAt: string | null
  readonly metadata: Readonly<Record<string, string>>
  /** The session of the request that asked: "this device". */
  readonly current: boolean
}

/** A listing as the Devices panel shows it. */
export function deviceRows(sessions: readonly ManagedSession[], mine: string | null): DeviceRow[] {
  const iso = (date: Date | null) => date?.toISOString() ?? null
  return sessions.map((session) => ({
    handle: session.handle,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    expiresAt: iso(session.expiresAt),
    metadata: session.metadata,
    current: session.handle === mine,
  }))
}

/**
 * The labels a sign-in attaches to its session: a short "browser on system" from the User-Agent, and
 * the header itself, cut to what session metadata holds (512 characters).
 *
 * @example deviceMetadata('Mozilla/5.0 (X11; Linux x86_64) … Chrome/140.0 Safari/537.36') // { device: 'Chrome on Linux', … }
 */
export function deviceMetadata(userAgent: string | null): Record<string, string> {
  const agent = userAgent ?? ''
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrome\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : 'A browser'
  const system = /Windows/.test(agent)
    ? 'Windows'
    : /Android/.test(agent)
      ? 'Android'
      : /iPhone|iPad/.test(agent)
        ? 'iOS'
        : /Mac OS X/.test(agent)
          ? 'macOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : 'an unknown system'
  return { device: `${browser} on ${system}`, userAgent: agent.slice(0, 512) }
}
