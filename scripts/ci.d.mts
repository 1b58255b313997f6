/** True when `CI` is set to anything but an empty string, `false` or `0` (any case, spaces ignored). */
export declare function inCI(env?: Readonly<Record<string, string | undefined>>): boolean
